"""Modal dialogs: small questions asked over whatever screen is open."""
