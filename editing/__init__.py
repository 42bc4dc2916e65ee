"""Editing together: who else has a question open (presence marks) and the edit-conflict
guard that refuses a save over a newer version."""
