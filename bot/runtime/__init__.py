"""The process: settings, start-up and shutdown, transport, the command line and its reports."""
