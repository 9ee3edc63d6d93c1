"""Period reports of the dashboard: periods, the tables they print, PDF and XLSX, the services."""
