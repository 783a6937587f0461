#!/bin/sh
# The pictures in the README: what a secretary receives, as LibreOffice prints it.
#
#   docs/pictures/render.sh
#
# Runs `thidua demo`, converts its Excel and Word files to PDF with LibreOffice headless and
# renders pages to PNG with pdftoppm. Needs `apt-get install libreoffice-writer
# libreoffice-calc poppler-utils fonts-liberation` (Liberation Serif stands in for Times New
# Roman, with the same metrics); it is not part of `make test`.
set -eu
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/thidua demo --out "$work" > /dev/null
cp "$work/dang-ky.xlsx" "$work/excel.xlsx"
cp "$work/dang-ky.docx" "$work/word.docx"
soffice --headless --convert-to pdf --outdir "$work" "$work/excel.xlsx" "$work/word.docx" > /dev/null
pdftoppm -png -r 110 -f 1 -l 1 -singlefile -y 95 -W 1290 -H 215 "$work/excel.pdf" docs/pictures/excel
pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$work/word.pdf" docs/pictures/word
# The Word file's annex (landscape, the table of works) is its last page.
pages=$(pdfinfo "$work/word.pdf" | awk '/^Pages:/ {print $2}')
pdftoppm -png -r 70 -f "$pages" -l "$pages" -singlefile "$work/word.pdf" docs/pictures/word-annex
echo "docs/pictures: excel.png word.png word-annex.png ($pages pages in the Word file)"
