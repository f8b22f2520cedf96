"""marshmallow schemas: one definition of valid input, shared by HTML forms, the JSON API
and the OpenAPI document. ``*In`` schemas load (validate and convert), ``*Out`` dump."""
