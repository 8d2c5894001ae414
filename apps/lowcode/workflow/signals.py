from django.dispatch import Signal

# Sent after a workflow transition is saved, inside the transaction; receivers that talk to the
# outside world (messages) must defer with transaction.on_commit or a job.
# Arguments: sender=the document's model class, document, record (the TransitionRecord).
transition_applied = Signal()
