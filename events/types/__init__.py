"""The event types, one family per module, each type declared once beside its model.

Every module here is imported by ``diplo.events.declaration.declarations()``: a new type is a
new module (or a new model and ``declare(...)`` in a family's module), and nothing else.
"""
