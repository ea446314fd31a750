"""The Django admin for case work: nothing registered.

Every read of a visit, contact or share must leave a row in ``classroom.AccessLog``, which the
admin's pages would not write; superusers read case work through the staff screens.
"""
