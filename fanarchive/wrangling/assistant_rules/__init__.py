"""The wrangling assistant's rules, by what they read: names (`names`, `people`), fandom
titles and additional tags (`titles`, `freeforms`), and the archive's works
(`evidence`). `fanarchive.wrangling.assistant.suggest` puts them together."""
