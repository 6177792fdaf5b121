"""Meeting, plan, review and contribution pages: thin views over ``meetings.services``.

Every page reaches its meeting, action or discussion through a case the user can see
(404 otherwise) and logs which children's records it showed (``common``).
"""
