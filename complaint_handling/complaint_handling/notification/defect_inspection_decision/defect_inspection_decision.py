def get_context(context):
	"""Standard notification: the message template in the JSON uses `doc` only."""
