from complaint_handling.portal import complaint_context


def get_context(context):
	complaint_context(context)
