from complaint_handling.customer.portal import complaint_context


def get_context(context):
	complaint_context(context)
