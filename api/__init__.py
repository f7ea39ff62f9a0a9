"""FastAPI service, the chat page and the command line."""
