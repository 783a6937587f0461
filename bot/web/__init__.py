"""The bot's web app: /healthz and signed, expiring download links (served by `thidua run`)."""
