"""The stages of an eFiction migration, in the order `mapper.Migration` runs them.

`authors` (users, pseuds, profiles, passwords), `tags` (categories, characters, classes
and ratings), `stories` (works, chapters and co-authors), `series`, then `engagement`
(reviews, favourites and hits). Each is a function of the migration's context
(`context.MigrationContext`) and keys what it makes by eFiction id in `EfictionMapping`.
"""
