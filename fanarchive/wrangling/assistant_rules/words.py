"""The few closed word classes the assistant's rules need, as data.

Everything else is learnt from the archive: the names of its canonical tags, their
synonyms, and the works that carry them. These lists only say what a word *does* in a
tag name (a title before a name, a medium in a fandom's parentheses, a negation), never
which tags are the same.
"""

from __future__ import annotations

# Titles and forms of address that may stand before a character's name. Variants of one
# title share a key, so "Dr" and "Doctor" agree and "Lord" and "Lady" do not.
_TITLE_VARIANTS: dict[str, tuple[str, ...]] = {
    "admiral": ("admiral", "adm"),
    "agent": ("agent",),
    "archangel": ("archangel",),
    "aunt": ("aunt", "auntie"),
    "brother": ("brother",),
    "captain": ("captain", "capt", "cpt"),
    "chief": ("chief",),
    "coach": ("coach",),
    "colonel": ("colonel", "col"),
    "commander": ("commander", "cmdr"),
    "count": ("count",),
    "countess": ("countess",),
    "dame": ("dame",),
    "deputy": ("deputy",),
    "detective": ("detective", "det"),
    "director": ("director",),
    "doctor": ("doctor", "dr"),
    "duchess": ("duchess",),
    "duke": ("duke",),
    "emperor": ("emperor",),
    "empress": ("empress",),
    "father": ("father", "fr"),
    "general": ("general", "gen"),
    "grandfather": ("grandpa", "grandfather", "granddad", "grandad"),
    "grandmother": ("grandma", "grandmother", "gran", "granny", "nana"),
    "headmaster": ("headmaster",),
    "headmistress": ("headmistress",),
    "inspector": ("inspector", "di"),
    "king": ("king",),
    "lady": ("lady",),
    "lieutenant": ("lieutenant", "lt"),
    "lord": ("lord",),
    "madame": ("madame", "madam"),
    "major": ("major",),
    "master": ("master",),
    "miss": ("miss", "ms"),
    "mister": ("mister", "mr"),
    "mistress": ("mistress",),
    "mother": ("mother",),
    "mrs": ("mrs",),
    "mx": ("mx",),
    "nurse": ("nurse",),
    "officer": ("officer",),
    "president": ("president",),
    "prince": ("prince",),
    "princess": ("princess",),
    "principal": ("principal",),
    "professor": ("professor", "prof"),
    "queen": ("queen",),
    "reverend": ("reverend", "rev"),
    "saint": ("saint", "st"),
    "senator": ("senator",),
    "sergeant": ("sergeant", "sgt"),
    "sheriff": ("sheriff",),
    "sir": ("sir",),
    "sister": ("sister",),
    "uncle": ("uncle",),
    "abbess": ("abbess",),
}
TITLE_KEY: dict[str, str] = {
    variant: key for key, variants in _TITLE_VARIANTS.items() for variant in variants
}
# Titles that say a person is a man or a woman: "Mr. Pickett" is not "Miss Pickett".
MASCULINE_TITLES = frozenset(
    {
        "mister",
        "sir",
        "lord",
        "king",
        "prince",
        "duke",
        "count",
        "emperor",
        "brother",
        "father",
        "uncle",
        "grandfather",
        "headmaster",
        "master",
    }
)
FEMININE_TITLES = frozenset(
    {
        "mrs",
        "miss",
        "lady",
        "queen",
        "princess",
        "duchess",
        "countess",
        "empress",
        "sister",
        "mother",
        "aunt",
        "grandmother",
        "headmistress",
        "mistress",
        "madame",
        "dame",
        "abbess",
    }
)
# Two-word titles ("Fire Lord Zuko", "Detective Inspector Penrose").
TITLE_PHRASES: dict[tuple[str, ...], str] = {
    ("fire", "lord"): "fire lord",
    ("detective", "inspector"): "inspector",
    ("mother", "superior"): "mother",
}
# Japanese honorifics written after a hyphen ("Aizawa-sensei").
HONORIFICS = frozenset({"san", "kun", "chan", "sama", "sensei", "senpai", "dono", "shi"})

# A qualifier in a character's parentheses that only says what kind of tag it is.
GENERIC_QUALIFIERS = frozenset({"character", "characters", "oc"})

# Media in a fandom's parentheses ("(TV)", "(Video Game)"), by what they mean.
MEDIA: dict[tuple[str, ...], str] = {
    ("tv",): "tv",
    ("television",): "tv",
    ("tv", "series"): "tv",
    ("movie",): "film",
    ("movies",): "film",
    ("film",): "film",
    ("films",): "film",
    ("video", "game"): "game",
    ("video", "games"): "game",
    ("game",): "game",
    ("games",): "game",
    ("anime",): "anime",
    ("manga",): "manga",
    ("comics",): "comics",
    ("comic",): "comics",
    ("cartoon",): "animation",
    ("animated", "series"): "animation",
    ("animation",): "animation",
    ("webcomic",): "webcomic",
    ("web", "comic"): "webcomic",
    ("web", "series"): "web series",
    ("radio",): "radio",
    ("book",): "book",
    ("books",): "book",
    ("novel",): "book",
    ("novels",): "book",
    ("musical",): "stage",
    ("play",): "stage",
    ("podcast",): "podcast",
    ("rpf",): "rpf",
}
# Words a fandom's canonical name may carry that a writer drops ("The Lantern Court Series").
DESCRIPTORS = frozenset({"series", "trilogy", "saga", "franchise"})
# Words that say which part of a series a title is ("Episode IV", "Book 2").
NUMBERING = frozenset({"episode", "part", "season", "book", "volume", "vol", "chapter"})

ARTICLES = frozenset({"the", "a", "an"})
# Small words an initialism may keep or skip ("ATLA", "LotR", "PJO").
FUNCTION_WORDS = frozenset(
    {"the", "a", "an", "of", "and", "no", "to", "in", "on", "for", "with", "de", "du", "la"}
)

# What turns a tag into its opposite ("Not Canon Compliant", "Unrequited Love").
NEGATIONS = frozenset({"not", "no", "non", "without", "never", "anti", "un"})
NEGATING_PREFIXES = ("un", "non", "dis", "mis", "anti", "in", "im", "ir", "il")
# Words after which order matters ("Enemies to Lovers" is not "Lovers to Enemies").
DIRECTIONAL = frozenset(
    {"to", "into", "then", "before", "after", "vs", "versus", "from", "becomes", "turned"}
)
# Shorthand inside additional tags, as whole words ("Angst w/ a Happy Ending", "Enemies 2 Lovers").
SHORTHAND = {"w": "with", "2": "to", "4": "for"}
# How a tag says it is an alternate universe ("Coffee Shop AU", "AU - Modern Setting").
AU_PHRASES = (("alternate", "universe"), ("alternative", "universe"), ("au",))

# Words an initialism may spell or skip; never a negation ("H/C" is not "Hurt No Comfort").
SPELT_OR_NOT = FUNCTION_WORDS - NEGATIONS
