"""Message templates per workflow event, SMS/e-mail adapters and the send log."""
