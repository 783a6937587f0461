"""The files a ward files: the Excel lists and the Word report of one form (issue 13)."""
