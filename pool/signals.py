"""What the pool tells the apps above it, which it may not import.

`candidate_promoted` is sent once a candidate becomes a Project (when the year's list it was promoted
into is published), inside the publishing transaction: receivers move what they keep for the candidate
(approval nodes, land) onto the project, so that its history and documents follow it.

    candidate_promoted.send(sender=Candidate, candidate=candidate, project=project)
"""

from django.dispatch import Signal

candidate_promoted = Signal()
