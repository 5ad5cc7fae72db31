"""The data layer: the database connection, the models, migrations and search upkeep."""
