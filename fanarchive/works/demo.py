"""A demo archive, so a newcomer sees a living site on first start.

Everything is invented and safe for work: fandoms, characters, writers and
prose come from the word lists and templates below. Ratings and warnings are
only labels here; every work's text is the same gentle kind of story.

Works are written through the same services as the posting form, so the demo
obeys every rule a writer meets. Output is deterministic for a seed: each
concern (accounts, fandoms, works) draws from its own random stream, so a user
name that is already taken changes the accounts but never the works.
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Generic, TypeVar

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from fanarchive.accounts.models import Pseud, User
from fanarchive.accounts.profile_services import pseud_create
from fanarchive.accounts.services import pseud_name_errors, user_create, username_errors
from fanarchive.core.text import TextFormat
from fanarchive.tags import fixed
from fanarchive.works.models import Chapter, Work
from fanarchive.works.services import ChapterInput, WorkInput, work_create

DEMO_USERNAME = "demo"
# Printed for newcomers on purpose: the demo login is public.
DEMO_PASSWORD = "demo-password"  # noqa: S105
DEFAULT_SEED = 1
HISTORY_DAYS = 3 * 365
MAX_CHAPTERS = 12
MAX_FANDOMS = 60

T = TypeVar("T")


def default_user_count(works: int) -> int:
    """Accounts for `works` works: most writers post few works, and some accounts only read."""
    return max(2, works // 3)


def fandom_count(works: int) -> int:
    return min(MAX_FANDOMS, max(3, round(works / 6)))


# -- word lists ---------------------------------------------------------------

FANDOM_NAMES = (
    "The Glass Archipelago",
    "Starlight Couriers",
    "Lanternfall",
    "The Clockwork Orchard",
    "Saltmarsh Academy",
    "Moth and Meridian",
    "Tidewatch",
    "The Seventh Lighthouse",
    "Copper Kettle Bakery",
    "Wyrmwood Station",
    "The Cartographers' Guild",
    "Ninefold Skies",
    "The Quiet Harbour Casebook",
    "Frostbloom",
    "The Velvet Observatory",
    "Orbit of Small Things",
    "Thistledown Rangers",
    "The Long Tide",
    "Songs of the Salt Road",
    "Brightwater Academy of Minor Magics",
    "Gearheart Rebellion",
    "Kestrel Squadron",
    "The Midnight Post",
    "Cinder Lane",
    "Aurora Line Railway",
    "Mosswick Mysteries",
    "Skyward Gardeners",
    "The Ninth Library",
    "Harbourlight",
    "Ironbloom",
    "The Amber Duchy",
    "Lightkeepers of Vey",
    "Runestone Riders",
    "Maple Street Hauntings",
    "The Tin Crown Cycle",
    "Driftglass",
    "Wanderers of the Pale Road",
    "The Honeybee Court",
    "Stormsinger Saga",
    "Comet Café",
    "Bellwether Hall",
    "The Inkwell Knights",
    "Silvervale Stables",
    "Echoes of Orrin",
    "The Twelfth Moon",
    "Fernhollow",
    "Tessellate",
    "Nightjar Orchestra",
    "Crescent Bay Rescue",
    "The Sundial Society",
    "Marigold Mechanics",
    "Winterreach",
    "Parallax Academy",
    "Lumen Drift",
    "The Weatherglass Trilogy",
    "Rookery Row",
    "Chalk and Compass",
    "Quillfeather Post",
    "Spindle and Spire",
    "The Lantern-Makers of Osk",
)

GIVEN_NAMES = {
    "f": (
        "Mira", "Ilse", "Ada", "Wren", "Noor", "Tamsin", "Elodie", "Petra", "Sefa", "Lina",
        "Orla", "Yara", "Hazel", "Juno", "Marisol", "Ines", "Kaia", "Rosalind", "Thea", "Zofia",
        "Nell", "Amara", "Liesel", "Odette", "Maren", "Saoirse", "Delphine", "Imke",
    ),
    "m": (
        "Tobin", "Corvin", "Emrys", "Silas", "Anselm", "Rafe", "Dario", "Jonah", "Bram",
        "Matthias", "Idris", "Lucan", "Teodor", "Oren", "Casimir", "Felix", "Hugo", "Niko",
        "Ambrose", "Leander", "Tariq", "Pavel", "Gideon", "Henrik", "Ilario", "Keoni",
    ),
    "x": (
        "Ash", "Rowan", "Sage", "Kit", "Robin", "Quill", "Lark", "Indigo", "Sparrow", "Marlowe",
        "Arden", "Ellis", "Reese", "Emery",
    ),
}  # fmt: skip
SURNAMES = (
    "Vale", "Ashdown", "Marrow", "Quillon", "Thorne", "Fairweather", "Holloway", "Brightwater",
    "Mendel", "Castellan", "Ferro", "Lindqvist", "Okafor", "Ravel", "Sorensen", "Alder",
    "Halloran", "Whitlock", "Ostrander", "Pell", "Marchetti", "Calloway", "Renard", "Seward",
    "Dunmore", "Kestrel", "Larkspur", "Greaves", "Amsel", "Novak", "Oyelaran", "Vasquez",
    "Haddad", "Iversen", "Moreau", "Brandt", "Kovacs", "Tennant", "Orsini", "Bellamy",
)  # fmt: skip
GENDER_WEIGHTS = (45, 45, 10)

# Additional tags, most popular first (their weights fall off with the position).
TROPES = (
    "Fluff", "Angst", "Hurt/Comfort", "Found Family", "Slow Burn", "Friendship",
    "Humor", "Established Relationship", "Friends to Lovers", "Fluff and Angst",
    "Alternate Universe", "Enemies to Friends", "Mutual Pining", "Comfort Food",
    "Coffee Shop AU", "Domestic Fluff", "Road Trip", "Adventure", "Banter",
    "Rivals to Lovers", "Canon Divergence", "Post-Canon", "Pre-Canon", "Missing Scene",
    "Minor Character Focus", "Getting Together", "Letters", "Epistolary", "Festivals",
    "Rainy Days", "Bakery AU", "Library AU", "Modern AU", "Space AU", "Fake Dating",
    "Snowed In", "Tea", "Cooking", "Gardening", "Small Towns", "Sea Voyages",
    "Mystery", "Worldbuilding", "Character Study", "Healing", "Happy Ending",
    "Open Ending", "Short & Sweet", "Holidays", "Five Times Plus One",
)  # fmt: skip

USERNAME_ADJECTIVES = (
    "quiet", "amber", "paper", "salt", "silver", "velvet", "cosy", "stray", "little", "lucky",
    "sleepy", "wild", "gentle", "midnight", "rainy", "copper", "foggy", "brave", "lost", "tiny",
)  # fmt: skip
USERNAME_NOUNS = (
    "lantern", "moth", "kettle", "comet", "harbour", "ink", "sparrow", "orchard", "teacup",
    "compass", "fern", "otter", "quill", "lighthouse", "marigold", "pebble", "thimble", "wren",
    "biscuit", "meadow", "ember", "tide", "feather", "acorn",
)  # fmt: skip

TITLE_NOUNS = (
    "Lantern", "Tide", "Harbour", "Comet", "Orchard", "Letter", "Compass", "Ember", "Feather",
    "Lighthouse", "Garden", "Storm", "Thread", "River", "Moon", "Map", "Kettle", "Bell",
    "Winter", "Bridge", "Star", "Key", "Road", "Song", "Window", "Island", "Candle", "Season",
)  # fmt: skip
TITLE_ADJECTIVES = (
    "Quiet", "Golden", "Small", "Borrowed", "Paper", "Salt", "Silver", "Wild", "Gentle", "Last",
    "Brave", "Slow", "Bright", "Distant", "Little", "Patient", "Hidden", "Careful", "Second",
)  # fmt: skip

TITLE_PLACES = (
    "Rain", "Fog", "Attic", "Garden", "Snow", "Dark", "Orchard", "Tall Grass", "Harbour",
    "Night", "Deep", "Valley",
)  # fmt: skip


# -- prose, per language ------------------------------------------------------


@dataclass(frozen=True)
class Prose:
    """Templates for one language. Slots: {a} {b} (names), {a_poss} {b_poss} (English
    possessives), {place}, {object}, {weather}; {other} in dialogue is the listener."""

    style: str  # how dialogue is punctuated: en, es, fr or de
    narration: tuple[str, ...]
    openers: tuple[str, ...]
    exchanges: tuple[tuple[str, ...], ...]
    beats: tuple[str, ...]
    said: tuple[str, ...]
    replied: tuple[str, ...]
    asked: tuple[str, ...]
    places: tuple[str, ...]
    objects: tuple[str, ...]
    weather: tuple[str, ...]
    titles: tuple[str, ...]
    chapter_titles: tuple[str, ...]
    summaries: tuple[str, ...]
    notes: tuple[str, ...]
    endnotes: tuple[str, ...]
    chapter_notes: tuple[str, ...]


ENGLISH = Prose(
    style="en",
    narration=(
        "{a} had meant to leave {place} an hour ago, but the light was good and the work was "
        "not finished.",
        "The kettle began to sing, and {b} poured two cups without asking.",
        "Outside, {weather}.",
        "{a} turned {object} over in {a_poss} hands, looking for a seam that was not there.",
        "It was the kind of quiet that made every footstep sound like a question.",
        "{b} laughed, and for a moment the room felt warmer.",
        "Somewhere below, a bell rang the hour.",
        "{a} counted to ten, then to twenty, and still did not know what to say.",
        "The map on the table was older than either of them.",
        "{b} leaned against the doorframe, arms folded, pretending not to watch.",
        "There were three things {a} knew for certain, and none of them helped.",
        "The smell of fresh bread drifted up from the street.",
        "By the time they reached {place}, the lamps were already lit.",
        "{a} wrote the date at the top of the page and then sat staring at it.",
        "Neither of them mentioned the letter.",
        "The floorboards creaked in the same place they always had.",
        "{b} had a way of making even bad news sound like the start of an adventure.",
        "It had been a long week, and it was only Tuesday.",
        "{a} found {object} exactly where {b} had said it would be.",
        "The wind tugged at their coats as they crossed the bridge.",
        "Someone had left a jar of wildflowers on the windowsill.",
        "{b} hummed an old tune under {b_poss} breath, slightly off-key.",
        "The clock on the wall was running seven minutes fast, as usual.",
        "{a} pressed {a_poss} palm flat against the cool glass.",
        "A cat watched them from the top of the wall with deep suspicion.",
        "The plan, such as it was, had seemed better in daylight.",
        "They walked in comfortable silence for a while.",
        "{b} set {object} down between them like a peace offering.",
        "{a} realised, with some surprise, that the smile had not left {a_poss} face.",
        "There was flour on {b_poss} sleeve and ink on {a_poss} fingers.",
        "Rain had turned the cobblestones into mirrors.",
        "The last ferry sounded its horn across the water.",
        "{a} had rehearsed this conversation a dozen times, and every version had gone better "
        "than this.",
        "{b} did not answer at once, which was an answer of its own.",
        "The tea had gone cold, forgotten on the windowsill.",
        "Far off, thunder grumbled and then thought better of it.",
        "It took {a} three tries to light the lantern.",
        "For once, nobody was in a hurry.",
        "{b} made a note in the margin, then crossed it out.",
        "A gull landed on the railing, looked at them, and left unimpressed.",
        "{a} tried very hard not to think about tomorrow.",
        "The stairs up to {place} had never seemed so long.",
        "{b} wrapped {b_poss} scarf twice around {b_poss} neck and still shivered.",
        "Every window in the street was glowing, one after another, like a slow fuse.",
        "{a} kept {object} in {a_poss} coat pocket, where it was heavier than it should have been.",
        "The fire popped and settled.",
        "Nobody had swept the steps in days, and the leaves had made themselves at home.",
        "{b} traced the old carvings on the table with one finger.",
        "It was, {a} decided, a perfectly reasonable hour for pancakes.",
        "The radio in the corner crackled through a song neither of them knew.",
    ),
    openers=(
        "Morning came grey and gentle over {place}.",
        "The stars came out one by one over {place}.",
        "It was still early when {a} reached {place}.",
        "Three days later, {weather}.",
        "{place} was busier than {a} had ever seen it.",
        "The evening found them back at {place}.",
        "Spring arrived at {place} all at once, the way it always did.",
        "{b} was already waiting at {place}.",
    ),
    exchanges=(
        ("You're late.", "I brought {object}, so I think I'm forgiven."),
        ("Do you ever think about what happens after?", "Not if I can help it."),
        ("Hold still, you've got paint on your nose.", "Where?", "Everywhere, somehow."),
        (
            "We should go back before anyone notices.",
            "Since when do you care what anyone notices?",
        ),
        ("I made too much soup again. Stay for dinner?", "Only if I get to pick the bread."),
        ("That's the worst plan I've ever heard.", "So you're in?", "Obviously I'm in."),
        ("Tell me the truth, {other}.", "I always do. Eventually."),
        ("It's only a little rain.", "You said that about the last storm."),
        ("Where did you even find this?", "It found me, mostly."),
        ("Thank you. I mean it.", "I know you do."),
        ("Can you read the map?", "Upside down, apparently.", "Give it here."),
        ("We make a good team, you know.", "Don't let it go to your head."),
        ("Did you hear that?", "It's just the wind.", "Probably."),
        ("Is it always this quiet here?", "Only when you're not talking."),
        ("I missed you.", "I was gone for two days.", "Two very long days."),
        (
            "Promise me you'll be careful.",
            "I'm always careful. It's everything else that isn't.",
        ),
        ("How many times have we done this now?", "Enough that I've stopped counting."),
        ("One more try. Then we rest.", "You always say that.", "And I'm always right."),
        ("Is that {object}?", "Don't ask.", "I'm asking."),
        ("What are you smiling at?", "Nothing. You. The weather."),
        ("Are we lost?", "We're exploring.", "So, lost."),
        ("You kept it all this time?", "Of course I did, {other}."),
        ("I'm not good at this.", "Nobody is. That's why we practise."),
        ("Come on, the whole of {place} is waiting.", "Let it wait a little longer."),
    ),
    beats=(
        "{s} glanced up.",
        "{s} shrugged.",
        "{s} smiled despite everything.",
        "{s} sighed.",
        "{s} set down the cup.",
        "{s} rubbed the back of {s_poss} neck.",
        "{s} tilted {s_poss} head.",
        "{s} looked out of the window for a long moment.",
    ),
    said=("said", "murmured", "whispered", "called"),
    replied=("said", "replied", "admitted", "added", "muttered"),
    asked=("asked", "wondered aloud"),
    places=(
        "the harbour",
        "the old observatory",
        "the night market",
        "the courier office",
        "the greenhouse",
        "the lighthouse",
        "the library stacks",
        "the rooftop garden",
        "the train platform",
        "the bakery on Wren Street",
        "the workshop",
        "the ferry deck",
        "the archive vault",
        "the orchard",
        "the tea house",
        "the clock tower",
        "the map room",
        "the kitchen",
        "the festival grounds",
        "the mountain pass",
        "the inn",
        "the riverbank",
    ),
    objects=(
        "a brass compass",
        "a bundle of letters",
        "a cracked teacup",
        "a lantern",
        "a map with one island missing",
        "a folded paper crane",
        "a key that fitted no door",
        "a pocket watch",
        "a jar of honey",
        "a knitted scarf",
        "a sketchbook",
        "a ticket stub",
        "a spool of red thread",
        "a packet of seeds",
        "a music box",
    ),
    weather=(
        "rain drummed softly on the roof",
        "the fog had swallowed the far end of the street",
        "snow was falling in slow, fat flakes",
        "the evening was warm and smelled of cut grass",
        "the wind rattled the shutters",
        "the sky was the pale gold of early morning",
    ),
    titles=(
        "The {N} and the {N2}",
        "{J} {N}",
        "What the {N} Remembers",
        "A {N} for {a}",
        "Five Times {a} Almost Said It",
        "{N}s in the {P}",
        "Where the {N} Goes",
        "Until the {N} Breaks",
        "Small {N}s",
        "{a} and the {J} {N}",
        "All the {J} {N}s",
        "Letters to {b}",
        "Between {N} and {N2}",
        "The {J} Hour",
        "Under a {J} {N}",
        "Keep the {N} Burning",
    ),
    chapter_titles=(
        "{J} {N}",
        "In Which {a} Makes Tea",
        "The {N}",
        "Interlude",
        "Homecoming",
        "Departures",
        "First Light",
        "Out of the {P}",
        "{a}",
        "The Long Way Round",
    ),
    summaries=(
        "When {a} finds {object} at {place}, the last person {a} expects to ask for help is {b}.",
        "{a} and {b} have one week to {goal}. It goes about as well as you would expect.",
        "Five times {a} almost said it, and one time {a} did.",
        "A quiet story about {theme}, {place}, and far too many cups of tea.",
        "Everyone knows {a} and {b} cannot stand each other. Everyone is wrong.",
        "{b} has a plan. {a} has doubts. The plan does not survive the first morning.",
        "The year the lanterns went out, {a} learned what it means to {goal}.",
        "{a} keeps a list of reasons to stay. {b} keeps adding to it.",
        "Some letters take years to arrive. This one took exactly long enough.",
    ),
    notes=(
        "Written for a friend who asked for {trope}.",
        "Many thanks to my beta reader for catching all my typos.",
        "This started as a short scene and got away from me.",
        "Not beta read; all mistakes are my own.",
        "My first story for {fandom}. Be gentle!",
        "Written for a summer prompt exchange. The prompt was {trope}.",
        "I have been thinking about these two since the finale.",
    ),
    endnotes=(
        "Thank you for reading!",
        "Come and say hello in the comments.",
        "There is more of this universe coming soon.",
        "I had so much fun writing this one.",
        "Kudos and comments make my week.",
    ),
    chapter_notes=(
        "Sorry for the wait! This chapter fought me.",
        "Updates every other week, more or less.",
        "A slightly shorter one this time.",
        "Thank you for all the lovely comments on the last chapter.",
    ),
)

GOALS = (
    "deliver a letter across the sea",
    "win the harvest fair",
    "fix the old clock tower",
    "find the missing cartographer",
    "open the bakery before winter",
    "map the last uncharted island",
    "keep the lighthouse burning",
)
THEMES = (
    "second chances",
    "found family",
    "learning to stay",
    "old promises",
    "starting over",
    "friendship",
)

SPANISH = Prose(
    style="es",
    narration=(
        "{a} llevaba una hora queriendo marcharse, pero la luz era buena y el trabajo no "
        "estaba terminado.",
        "Nadie en {place} parecía tener prisa aquella tarde.",
        "{a} escribió la fecha en lo alto de la página y se quedó mirándola.",
        "Olía a pan recién hecho.",
        "{b} tarareaba una canción antigua, un poco desafinada.",
        "El plan había parecido mejor a la luz del día.",
        "La lluvia había convertido los adoquines en espejos.",
        "La tetera empezó a silbar y {b} sirvió dos tazas sin preguntar.",
        "Afuera, {weather}.",
        "{a} giró {object} entre las manos, buscando una costura que no existía.",
        "Era el tipo de silencio que hacía que cada paso sonara como una pregunta.",
        "{b} se rio, y por un momento la habitación pareció más cálida.",
        "En algún lugar, una campana dio la hora.",
        "Ninguno de los dos mencionó la carta.",
        "Caminaron un rato en un silencio cómodo.",
        "El té se había enfriado, olvidado junto a la ventana.",
        "Por una vez, nadie tenía prisa.",
        "{b} dejó {object} entre los dos como una ofrenda de paz.",
        "El reloj de la pared iba siete minutos adelantado, como siempre.",
        "Un gato los observaba desde lo alto del muro con mucha desconfianza.",
    ),
    openers=(
        "La mañana llegó gris y tranquila sobre {place}.",
        "Las estrellas fueron apareciendo una a una sobre {place}.",
        "Todavía era temprano, y {place} seguía en silencio.",
    ),
    exchanges=(
        ("Llegas tarde.", "Traje {object}. Eso cuenta, ¿no?"),
        ("¿Dónde encontraste esto?", "Más bien me encontró a mí."),
        ("Gracias. Lo digo en serio.", "Lo sé."),
        ("¿Siempre es tan tranquilo aquí?", "Solo cuando tú no hablas."),
        ("Es solo un poco de lluvia.", "Eso dijiste de la última tormenta."),
        ("¿Nos hemos perdido?", "Estamos explorando.", "O sea, perdidos."),
        ("Te eché de menos, {other}.", "Solo fueron dos días.", "Dos días muy largos."),
    ),
    beats=("{s} levantó la vista.", "{s} se encogió de hombros.", "{s} suspiró."),
    said=("dijo", "murmuró", "susurró"),
    replied=("dijo", "respondió", "añadió"),
    asked=("preguntó",),
    places=(
        "el puerto",
        "el viejo observatorio",
        "el mercado nocturno",
        "la biblioteca",
        "el invernadero",
        "la estación de tren",
    ),
    objects=(
        "una brújula de latón",
        "un montón de cartas",
        "una taza rota",
        "un farol",
        "una llave antigua",
        "un mapa viejo",
    ),
    weather=(
        "la lluvia golpeaba suavemente el tejado",
        "la niebla cubría el final de la calle",
        "caía la primera nieve",
    ),
    titles=(
        "La última carta",
        "Faroles en el puerto",
        "Mapas de invierno",
        "Lo que queda del verano",
        "Té para dos",
        "Antes de la tormenta",
        "Cartas a {b}",
    ),
    chapter_titles=("Primera luz", "Regreso", "Interludio", "El camino largo"),
    summaries=(
        "Cuando {a} encuentra {object} en {place}, la última persona a quien espera pedir "
        "ayuda es {b}.",
        "Una historia tranquila sobre segundas oportunidades y demasiadas tazas de té.",
        "Todos saben que {a} y {b} no se soportan. Todos se equivocan.",
    ),
    notes=("Mi primera historia en este fandom.", "Gracias a mi beta por su paciencia."),
    endnotes=("¡Gracias por leer!", "Los comentarios siempre son bienvenidos."),
    chapter_notes=("Perdón por la espera.",),
)

FRENCH = Prose(
    style="fr",
    narration=(
        "{a} avait voulu quitter {place} une heure plus tôt, mais la lumière était belle et le "
        "travail n'était pas fini.",
        "La bouilloire se mit à siffler, et {b} servit deux tasses sans demander.",
        "Dehors, {weather}.",
        "{a} tourna {object} entre ses mains, cherchant une couture qui n'existait pas.",
        "C'était le genre de silence qui faisait de chaque pas une question.",
        "{b} éclata de rire, et pendant un instant la pièce sembla plus chaude.",
        "Quelque part en contrebas, une cloche sonna l'heure.",
        "Aucun des deux ne parla de la lettre.",
        "Ils marchèrent un moment dans un silence confortable.",
        "Le thé avait refroidi, oublié sur le rebord de la fenêtre.",
        "Pour une fois, personne n'était pressé.",
        "{b} posa {object} entre eux comme une offrande de paix.",
        "L'horloge du mur avançait de sept minutes, comme toujours.",
        "Un chat les observait du haut du mur avec une profonde méfiance.",
        "Personne, dans {place}, ne semblait pressé ce soir-là.",
        "{a} écrivit la date en haut de la page, puis resta à la regarder.",
        "Une odeur de pain chaud montait de la rue.",
        "{b} fredonnait un vieil air, un peu faux.",
        "Le plan avait semblé meilleur à la lumière du jour.",
        "La pluie avait changé les pavés en miroirs.",
    ),
    openers=(
        "Le matin se leva, gris et doux, sur {place}.",
        "Les étoiles apparurent une à une, et {place} s'endormit.",
        "Il était encore tôt, et {place} dormait encore.",
    ),
    exchanges=(
        ("Tu es en retard.", "J'ai apporté {object}. Ça compte, non ?"),
        ("Où as-tu trouvé ça ?", "C'est plutôt lui qui m'a trouvé."),
        ("Merci. Je le pense vraiment.", "Je sais."),
        ("C'est toujours aussi calme, ici ?", "Seulement quand tu ne parles pas."),
        ("Ce n'est qu'un peu de pluie.", "Tu as dit ça pour la dernière tempête."),
        ("On s'est trompé de chemin ?", "On explore.", "Donc, oui."),
        ("Tu m'as manqué, {other}.", "Ce n'était que deux jours.", "Deux très longs jours."),
    ),
    beats=("{s} leva les yeux.", "{s} haussa les épaules.", "{s} soupira."),
    said=("dit", "murmura", "chuchota"),
    replied=("dit", "répondit", "ajouta"),
    asked=("demanda",),
    places=(
        "le port",
        "le vieil observatoire",
        "le marché de nuit",
        "la bibliothèque",
        "la serre",
        "le quai de la gare",
    ),
    objects=(
        "une boussole en laiton",
        "une liasse de lettres",
        "une tasse fêlée",
        "une lanterne",
        "une vieille clé",
        "une carte ancienne",
    ),
    weather=(
        "la pluie tambourinait doucement sur le toit",
        "le brouillard avait avalé le bout de la rue",
        "la première neige tombait",
    ),
    titles=(
        "La dernière lettre",
        "Lanternes sur le port",
        "Cartes d'hiver",
        "Ce qui reste de l'été",
        "Du thé pour deux",
        "Avant l'orage",
        "Lettres à {b}",
    ),
    chapter_titles=("Première lumière", "Retour", "Interlude", "Le long chemin"),
    summaries=(
        "Quand {a} trouve {object} dans {place}, la dernière personne à qui demander de l'aide "
        "est {b}.",
        "Une histoire tranquille de secondes chances et de beaucoup trop de tasses de thé.",
        "Tout le monde sait que {a} et {b} ne se supportent pas. Tout le monde a tort.",
    ),
    notes=("Ma première histoire dans ce fandom.", "Merci à ma bêta pour sa patience."),
    endnotes=("Merci de votre lecture !", "Les commentaires sont toujours les bienvenus."),
    chapter_notes=("Désolée pour l'attente.",),
)

GERMAN = Prose(
    style="de",
    narration=(
        "{a} hatte {place} schon vor einer Stunde verlassen wollen, aber das Licht war gut und "
        "die Arbeit nicht fertig.",
        "Der Wasserkessel begann zu pfeifen, und {b} goss ungefragt zwei Tassen ein.",
        "Draußen {weather}.",
        "{a} drehte {object} in den Händen hin und her und suchte eine Naht, die es nicht gab.",
        "Es war die Art von Stille, in der jeder Schritt wie eine Frage klang.",
        "{b} lachte, und für einen Moment schien das Zimmer wärmer.",
        "Irgendwo unten schlug eine Glocke die Stunde.",
        "Keiner von beiden erwähnte den Brief.",
        "Eine Weile gingen sie in angenehmem Schweigen nebeneinander her.",
        "Der Tee war kalt geworden, vergessen auf dem Fensterbrett.",
        "Ausnahmsweise hatte es niemand eilig.",
        "{b} legte {object} zwischen sie wie ein Friedensangebot.",
        "Die Uhr an der Wand ging wie immer sieben Minuten vor.",
        "Eine Katze beobachtete sie von der Mauer aus mit tiefem Misstrauen.",
        "{a} schrieb das Datum oben auf die Seite und starrte es dann an.",
        "Von der Straße her roch es nach frischem Brot.",
        "{b} summte eine alte Melodie, ein wenig schief.",
        "Der Plan war ihnen bei Tageslicht besser vorgekommen.",
        "Der Regen hatte das Kopfsteinpflaster in Spiegel verwandelt.",
        "Niemand schien es an diesem Abend eilig zu haben.",
    ),
    openers=(
        "Der Morgen kam grau und sanft über {place}.",
        "Die Sterne erschienen einer nach dem anderen über {place}.",
        "Es war noch früh, als {a} {place} erreichte.",
    ),
    exchanges=(
        ("Du bist spät dran.", "Ich habe {object} mitgebracht. Das zählt doch, oder?"),
        ("Wo hast du das überhaupt gefunden?", "Eher hat es mich gefunden."),
        ("Danke. Ich meine das ernst.", "Ich weiß."),
        ("Ist es hier immer so still?", "Nur wenn du nicht redest."),
        ("Es ist doch nur ein bisschen Regen.", "Das hast du beim letzten Sturm auch gesagt."),
        ("Haben wir uns verlaufen?", "Wir erkunden.", "Also verlaufen."),
        ("Du hast mir gefehlt, {other}.", "Es waren zwei Tage.", "Zwei sehr lange Tage."),
    ),
    beats=("{s} sah auf.", "{s} zuckte mit den Schultern.", "{s} seufzte."),
    said=("sagte", "murmelte", "flüsterte"),
    replied=("sagte", "antwortete", "erwiderte"),
    asked=("fragte",),
    places=(
        "den Hafen",
        "die alte Sternwarte",
        "den Nachtmarkt",
        "die Bibliothek",
        "das Gewächshaus",
        "den Bahnsteig",
    ),
    objects=(
        "einen Messingkompass",
        "ein Bündel Briefe",
        "eine gesprungene Teetasse",
        "eine Laterne",
        "einen alten Schlüssel",
        "eine alte Karte",
    ),
    weather=(
        "trommelte der Regen leise auf das Dach",
        "hatte der Nebel das Ende der Straße verschluckt",
        "fiel der erste Schnee",
    ),
    titles=(
        "Der letzte Brief",
        "Laternen am Hafen",
        "Winterkarten",
        "Was vom Sommer bleibt",
        "Tee für zwei",
        "Vor dem Sturm",
        "Briefe an {b}",
    ),
    chapter_titles=("Erstes Licht", "Heimkehr", "Zwischenspiel", "Der lange Weg"),
    summaries=(
        "Eine stille Geschichte über zweite Chancen und viel zu viele Tassen Tee.",
        "Alle wissen, dass {a} und {b} einander nicht ausstehen können. Alle irren sich.",
        "{a} führt eine Liste mit Gründen zu bleiben. {b} schreibt immer neue dazu.",
    ),
    notes=("Meine erste Geschichte in diesem Fandom.", "Danke an meine Beta für die Geduld."),
    endnotes=("Danke fürs Lesen!", "Über Kommentare freue ich mich immer."),
    chapter_notes=("Entschuldigt die Wartezeit.",),
)

PROSE = {"en": ENGLISH, "es": SPANISH, "fr": FRENCH, "de": GERMAN}
LANGUAGE_WEIGHTS = {"en": 90, "es": 4, "fr": 3, "de": 3}
SCENE_BREAKS = ("***", "* * *", "★")


# -- the cast -----------------------------------------------------------------


@dataclass(frozen=True)
class Character:
    name: str  # the tag, "Mira Vale"
    short: str  # what the prose calls them, "Mira"
    gender: str  # f, m or x: the English possessive, and the work's category

    @property
    def possessive(self) -> str:
        return {"f": "her", "m": "his"}.get(self.gender, "their")


@dataclass(frozen=True)
class Fandom:
    name: str
    # Most popular first: the leads turn up in more works than the side characters.
    characters: tuple[Character, ...]
    places: tuple[str, ...]


def _zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


def _weighted_sample(
    rng: random.Random, items: Sequence[T], weights: Sequence[float], k: int
) -> list[T]:
    """`k` distinct items, each draw weighted; `random.sample` cannot weigh."""
    pool = list(zip(items, weights, strict=True))
    chosen: list[T] = []
    while pool and len(chosen) < k:
        index = rng.choices(range(len(pool)), weights=[w for _, w in pool])[0]
        chosen.append(pool.pop(index)[0])
    return chosen


class _Deck(Generic[T]):
    """Deals items without repeats until all are used, then reshuffles: prose that
    picked each sentence independently repeats itself within a paragraph."""

    def __init__(self, rng: random.Random, items: Sequence[T]) -> None:
        self.rng = rng
        self.items = list(items)
        self.left: list[T] = []

    def draw(self) -> T:
        if not self.left:
            self.left = self.items[:]
            self.rng.shuffle(self.left)
        return self.left.pop()


def invent_fandoms(rng: random.Random, count: int) -> list[Fandom]:
    """`count` fandoms, most popular first, each with its own characters and places."""
    taken: set[str] = set()
    fandoms = []
    for name in rng.sample(FANDOM_NAMES, min(count, len(FANDOM_NAMES))):
        characters: list[Character] = []
        shorts: set[str] = set()
        for _ in range(rng.randint(5, 9)):
            while True:
                gender = rng.choices("fmx", weights=GENDER_WEIGHTS)[0]
                short = rng.choice(GIVEN_NAMES[gender])
                full = f"{short} {rng.choice(SURNAMES)}"
                # Unique short names keep the prose clear; unique full names keep
                # each character one tag, not shared by two fandoms.
                if short not in shorts and full not in taken:
                    break
            shorts.add(short)
            taken.add(full)
            characters.append(Character(name=full, short=short, gender=gender))
        fandoms.append(Fandom(name, tuple(characters), tuple(rng.sample(ENGLISH.places, 6))))
    return fandoms


# -- prose --------------------------------------------------------------------


def _quote(style: str, line: str, name: str, verb: str) -> str:
    """A line of dialogue with its speech tag, punctuated as the language does."""
    ends_open = line[-1] in "?!…"
    body = line if ends_open else line.rstrip(".")
    if style == "es":
        return f"—{body} —{verb} {name}."
    if style == "fr":
        return f"« {body} » {verb} {name}." if ends_open else f"« {body} », {verb} {name}."
    if style == "de":
        return f"„{body}“, {verb} {name}."
    return f'"{body}" {name} {verb}.' if ends_open else f'"{body}," {name} {verb}.'


def _bare_quote(style: str, line: str) -> str:
    return {"es": f"—{line}", "fr": f"« {line} »", "de": f"„{line}“"}.get(style, f'"{line}"')


class _Writer:
    """Writes chapters for one work: scenes of narration and dialogue between its cast."""

    def __init__(
        self,
        rng: random.Random,
        prose: Prose,
        cast: Sequence[Character],
        places: Sequence[str],
    ) -> None:
        self.rng = rng
        self.prose = prose
        self.cast = list(cast)
        self.places = list(places)
        self.narration = _Deck(rng, prose.narration)
        self.exchanges = _Deck(rng, prose.exchanges)
        # A writer keeps to one scene-break style.
        self.scene_break = rng.choice(SCENE_BREAKS)

    def chapter(self, target_words: int) -> str:
        rng = self.rng
        scenes = max(1, round(target_words / rng.uniform(250, 650)))
        # Most chapters have at least one scene break; a few are a single scene.
        if scenes == 1 and rng.random() < 0.85:
            scenes = 2
        per_scene = max(60, target_words // scenes)
        separator = f"\n\n{self.scene_break}\n\n"
        return separator.join(self._scene(per_scene) for _ in range(scenes))

    def _scene(self, target_words: int) -> str:
        rng, prose = self.rng, self.prose
        a, b = rng.sample(self.cast, 2)
        slots = {
            "a": a.short,
            "b": b.short,
            "a_poss": a.possessive,
            "b_poss": b.possessive,
            "place": rng.choice(self.places),
            "object": rng.choice(prose.objects),
            "weather": rng.choice(prose.weather),
        }
        paragraphs = [self._narration(slots, opener=True)]
        words = len(paragraphs[0].split())
        talked = False
        while words < target_words or not talked:
            if talked and rng.random() < 0.5:
                paragraph = self._narration(slots, opener=False)
                paragraphs.append(paragraph)
                words += len(paragraph.split())
            else:
                exchange = self._exchange(slots, a, b)
                paragraphs.extend(exchange)
                words += sum(len(p.split()) for p in exchange)
                talked = True
        return "\n\n".join(paragraphs)

    def _narration(self, slots: dict[str, str], *, opener: bool) -> str:
        rng = self.rng
        sentences = [self.narration.draw() for _ in range(rng.randint(3, 6))]
        if opener:
            sentences[0] = rng.choice(self.prose.openers)
        text = " ".join(sentences).format_map(slots)
        return text[0].upper() + text[1:]

    def _exchange(self, slots: dict[str, str], a: Character, b: Character) -> list[str]:
        rng, prose = self.rng, self.prose
        lines = self.exchanges.draw()
        speakers = (a, b) if rng.random() < 0.5 else (b, a)
        paragraphs = []
        for i, template in enumerate(lines):
            speaker, listener = speakers[i % 2], speakers[(i + 1) % 2]
            line = template.format_map({**slots, "other": listener.short})
            form = rng.random()
            if i > 0 and form < 0.3:
                # Back-and-forth needs no tags once the speakers are clear.
                paragraphs.append(_bare_quote(prose.style, line))
            elif form < 0.8:
                verbs = prose.said if i == 0 else prose.replied
                verb = rng.choice(prose.asked if line.endswith("?") else verbs)
                paragraphs.append(_quote(prose.style, line, speaker.short, verb))
            else:
                beat = rng.choice(prose.beats).format(s=speaker.short, s_poss=speaker.possessive)
                paragraphs.append(f"{beat} {_bare_quote(prose.style, line)}")
        return paragraphs


# -- planning (pure: no database) ---------------------------------------------

RATING_WEIGHTS = {
    fixed.GENERAL: 38,
    fixed.TEEN: 30,
    fixed.MATURE: 12,
    fixed.EXPLICIT: 8,
    fixed.NOT_RATED: 12,
}
# How often a work of each rating carries a specific warning rather than "none apply".
SPECIFIC_WARNING_SHARE = {
    fixed.GENERAL: 0.03,
    fixed.TEEN: 0.15,
    fixed.MATURE: 0.3,
    fixed.EXPLICIT: 0.25,
    fixed.NOT_RATED: 0.2,
}
SPECIFIC_WARNINGS = (fixed.VIOLENCE, fixed.CHARACTER_DEATH, fixed.NON_CON, fixed.UNDERAGE)
ADULT_ONLY_WARNINGS = frozenset({fixed.NON_CON, fixed.UNDERAGE})


@dataclass
class PlannedWork:
    author: int  # index into the archive's writers
    pseud: int  # 0 is the writer's default pseud, n their n-th extra one
    data: WorkInput
    chapters: list[ChapterInput]
    post: bool
    # How long before "now" each chapter was published, first chapter first.
    ages: list[timedelta] = field(default_factory=list)


class WorkPlanner:
    """Plans works one at a time, deterministically for its random stream."""

    def __init__(
        self,
        rng: random.Random,
        fandoms: Sequence[Fandom],
        author_weights: Sequence[float],
        pseud_counts: Sequence[int],
    ) -> None:
        self.rng = rng
        self.fandoms = list(fandoms)
        self.fandom_weights = _zipf_weights(len(fandoms), 0.9)
        self.author_weights = list(author_weights)
        self.pseud_counts = list(pseud_counts)
        self.titles: set[str] = set()

    def plan(self, works: int) -> Iterator[PlannedWork]:
        rng = self.rng
        order = list(range(works))
        rng.shuffle(order)
        drafts = set(order[: max(1, works // 30)] if works >= 5 else [])
        posted = [i for i in order if i not in drafts]
        # Every rating and every warning turns up at least once when there are
        # enough works, so each filter has something to show.
        forced_ratings = dict(zip(posted[: len(fixed.RATINGS)], fixed.RATINGS, strict=False))
        rest = posted[len(fixed.RATINGS) :]
        forced_warnings = dict(zip(rest[: len(fixed.WARNINGS)], fixed.WARNINGS, strict=False))
        # The demo account writes a draft of its own, so its drafts page is not empty.
        first_draft = min(drafts) if drafts else -1
        for index in range(works):
            yield self._work(
                post=index not in drafts,
                author=0 if index == first_draft else None,
                rating=forced_ratings.get(index),
                warning=forced_warnings.get(index),
            )

    def _work(
        self, *, post: bool, author: int | None, rating: str | None, warning: str | None
    ) -> PlannedWork:
        rng = self.rng
        if author is None:
            author = rng.choices(range(len(self.author_weights)), self.author_weights)[0]
        extra_pseuds = self.pseud_counts[author]
        # Both draws happen whatever the writer has, so the works do not depend on accounts.
        use_extra, which = rng.random(), rng.random()
        pseud = 1 + int(which * extra_pseuds) if extra_pseuds and use_extra < 0.4 else 0

        # A few crossovers: a second fandom, as popular fandoms cross over more.
        fandoms = _weighted_sample(rng, self.fandoms, self.fandom_weights, 2)
        if rng.random() >= 0.06:
            fandoms = fandoms[:1]
        cast = self._cast(fandoms)
        relationships, categories = self._relationships(cast)
        rating, warnings = self._rating_and_warnings(rating, warning)
        language = rng.choices(list(LANGUAGE_WEIGHTS), list(LANGUAGE_WEIGHTS.values()))[0]
        prose = PROSE[language]
        freeforms = _weighted_sample(
            rng, TROPES, _zipf_weights(len(TROPES), 0.8), rng.randint(1, 7)
        )
        chapter_count, expected = self._chapter_plan()

        # Prose needs two people; a one-character work brings along an untagged friend.
        speaking = list(cast)
        if len(speaking) < 2:
            others = [c for c in fandoms[0].characters if c not in speaking]
            speaking.append(rng.choice(others))
        slots = self._slots(prose, speaking, fandoms[0], freeforms)
        places = fandoms[0].places if language == "en" else prose.places
        writer = _Writer(rng, prose, speaking, places)
        base_words = math.exp(rng.uniform(math.log(350), math.log(3500)))
        titled = chapter_count > 1 and rng.random() < 0.5
        chapters = []
        for _ in range(chapter_count):
            chapters.append(
                ChapterInput(
                    text=writer.chapter(max(200, round(base_words * rng.uniform(0.75, 1.25)))),
                    text_format=TextFormat.PLAIN,
                    title=self._fill(rng.choice(prose.chapter_titles), slots) if titled else "",
                    notes=(
                        self._fill(rng.choice(prose.chapter_notes), slots)
                        if chapter_count > 1 and rng.random() < 0.2
                        else ""
                    ),
                )
            )
        data = WorkInput(
            title=self._title(prose, slots),
            rating=rating,
            warnings=warnings,
            fandoms=[f.name for f in fandoms],
            categories=categories,
            relationships=relationships,
            characters=[c.name for c in cast],
            freeforms=freeforms,
            summary=self._fill(rng.choice(prose.summaries), slots),
            notes=self._fill(rng.choice(prose.notes), slots) if rng.random() < 0.35 else "",
            endnotes=self._fill(rng.choice(prose.endnotes), slots) if rng.random() < 0.25 else "",
            language=language,
            restricted=rng.random() < 0.08,
            expected_chapters=expected,
        )
        ages = self._ages(chapter_count) if post else []
        return PlannedWork(author, pseud, data, chapters, post, ages)

    def _cast(self, fandoms: Sequence[Fandom]) -> list[Character]:
        rng = self.rng
        main = fandoms[0].characters
        count = rng.choices((1, 2, 3, 4, 5), weights=(10, 35, 30, 15, 10))[0]
        cast = _weighted_sample(rng, main, _zipf_weights(len(main), 0.9), count)
        for other in fandoms[1:]:
            chars = other.characters
            cast += _weighted_sample(rng, chars, _zipf_weights(len(chars)), rng.randint(1, 2))
        return cast

    def _relationships(self, cast: Sequence[Character]) -> tuple[list[str], list[str]]:
        """Relationship tags among the cast, and the categories they imply."""
        rng = self.rng
        pairs = [(x, y) for i, x in enumerate(cast) for y in cast[i + 1 :]]
        rng.shuffle(pairs)
        romantic = []
        if pairs and rng.random() < 0.6:
            romantic.append(pairs.pop())
            if pairs and len(cast) >= 4 and rng.random() < 0.2:
                romantic.append(pairs.pop())
        platonic = [pairs.pop()] if pairs and rng.random() < 0.35 else []

        categories: list[str] = []
        for x, y in romantic:
            genders = "".join(sorted(x.gender + y.gender))
            category = {"fm": "F/M", "mm": "M/M", "ff": "F/F"}.get(genders, "Other")
            if category not in categories:
                categories.append(category)
        if len(romantic) > 1:
            categories.append("Multi")
        if not romantic or (platonic and rng.random() < 0.3):
            categories.insert(0, "Gen")
        if rng.random() < 0.05:
            categories = []  # categories are optional, and some writers skip them
        names = [f"{x.name}/{y.name}" for x, y in romantic]
        names += [f"{x.name} & {y.name}" for x, y in platonic]
        return names, categories

    def _rating_and_warnings(
        self, rating: str | None, warning: str | None
    ) -> tuple[str, list[str]]:
        rng = self.rng
        if rating is None:
            if warning in ADULT_ONLY_WARNINGS:
                rating = rng.choice((fixed.MATURE, fixed.EXPLICIT, fixed.NOT_RATED))
            else:
                rating = rng.choices(list(RATING_WEIGHTS), list(RATING_WEIGHTS.values()))[0]
        if warning is not None:
            return rating, [warning]
        if rng.random() < (0.3 if rating == fixed.NOT_RATED else 0.12):
            return rating, [fixed.CHOSE_NOT_TO_WARN]
        if rng.random() >= SPECIFIC_WARNING_SHARE[rating]:
            return rating, [fixed.NO_WARNINGS]
        adult = rating in fixed.ADULT_RATINGS
        weights = [
            w if adult or name not in ADULT_ONLY_WARNINGS else 0
            for name, w in zip(SPECIFIC_WARNINGS, (6, 4, 1, 0.5), strict=True)
        ]
        count = 2 if rng.random() < 0.2 else 1
        return rating, _weighted_sample(rng, SPECIFIC_WARNINGS, weights, count)

    def _chapter_plan(self) -> tuple[int, int | None]:
        """How many chapters are posted, and how many the writer expects (None: unknown)."""
        rng = self.rng
        if rng.random() < 0.55:
            roll = rng.random()
            if roll < 0.88:
                return 1, 1
            return 1, (None if roll < 0.95 else rng.randint(2, 5))
        count = rng.choices(range(2, MAX_CHAPTERS + 1), _zipf_weights(MAX_CHAPTERS - 1, 0.7))[0]
        roll = rng.random()
        if roll < 0.6:
            return count, count
        return count, (None if roll < 0.75 else count + rng.randint(1, 6))

    def _ages(self, chapters: int) -> list[timedelta]:
        """Publication ages, oldest first, spread over the archive's history, recent ones
        more often (archives grow)."""
        rng = self.rng
        newest = HISTORY_DAYS * 86_400 * rng.random() ** 1.6
        gaps = [rng.uniform(2, 40) * 86_400 for _ in range(chapters - 1)]
        ages = [min(newest + sum(gaps), HISTORY_DAYS * 86_400)]
        for gap in gaps:
            ages.append(ages[-1] - gap)
        return [timedelta(seconds=round(age)) for age in ages]

    def _slots(
        self, prose: Prose, cast: Sequence[Character], fandom: Fandom, tropes: Sequence[str]
    ) -> dict[str, str]:
        rng = self.rng
        a, b = rng.sample(list(cast[:3]), 2) if len(cast) > 2 else (cast[0], cast[1])
        return {
            "a": a.short,
            "b": b.short,
            "place": rng.choice(fandom.places if prose is ENGLISH else prose.places),
            "object": rng.choice(prose.objects),
            "goal": rng.choice(GOALS),
            "theme": rng.choice(THEMES),
            "fandom": fandom.name,
            "trope": rng.choice(tropes).lower(),
            "N": rng.choice(TITLE_NOUNS),
            "N2": rng.choice(TITLE_NOUNS),
            "J": rng.choice(TITLE_ADJECTIVES),
            "P": rng.choice(TITLE_PLACES),
        }

    @staticmethod
    def _fill(template: str, slots: dict[str, str]) -> str:
        text = template.format_map(slots)
        return text[0].upper() + text[1:]

    def _title(self, prose: Prose, slots: dict[str, str]) -> str:
        rng = self.rng
        for _ in range(20):
            words = {
                "N": rng.choice(TITLE_NOUNS),
                "N2": rng.choice(TITLE_NOUNS),
                "J": rng.choice(TITLE_ADJECTIVES),
                "P": rng.choice(TITLE_PLACES),
            }
            title = self._fill(rng.choice(prose.titles), {**slots, **words})
            if title not in self.titles:
                break
        else:
            title = f"{title} ({len(self.titles) + 1})"
        self.titles.add(title)
        return title


# -- accounts -----------------------------------------------------------------


def candidate_usernames(rng: random.Random) -> Iterator[str]:
    """Endless candidate user names; the caller skips taken ones."""
    while True:
        adjective = rng.choice(USERNAME_ADJECTIVES)
        noun, other = rng.sample(USERNAME_NOUNS, 2)
        style = rng.random()
        if style < 0.35:
            yield f"{adjective}{noun}"
        elif style < 0.65:
            yield f"{adjective}_{noun}"
        elif style < 0.85:
            yield f"{noun}{rng.randint(1, 999)}"
        else:
            yield f"{noun}_and_{other}"


@dataclass
class _Accounts:
    writers: list[User]
    pseuds: list[list[Pseud]]  # each writer's pseuds, the default first
    created: int
    demo_created: bool


def _create_accounts(rng: random.Random, count: int) -> _Accounts:
    writers: list[User] = []
    pseuds: list[list[Pseud]] = []
    created = 0
    demo = User.objects.filter(username__iexact=DEMO_USERNAME).first()
    demo_created = demo is None
    if demo is None:
        demo = user_create(
            username=DEMO_USERNAME,
            email=f"{DEMO_USERNAME}@example.org",
            password=DEMO_PASSWORD,
            check_password_strength=False,
        )
        created += 1
    writers.append(demo)
    candidates = candidate_usernames(rng)
    while len(writers) < count:
        username = next(candidates)
        if username_errors(username):
            continue  # taken (an earlier demo run), or otherwise unusable
        writers.append(
            user_create(
                username=username,
                email=f"{username}@example.org",
                # Only `demo` logs in; the others reset a password first, like
                # any account made on someone's behalf (and hashing is slow).
                password=None,
                check_password_strength=False,
            )
        )
        created += 1
    for writer in writers:
        own = [writer.default_pseud]
        # Some writers keep a second name or two, as on AO3.
        extra = rng.choices((0, 1, 2), weights=(80, 15, 5))[0] if writer is not demo else 1
        for _ in range(extra):
            name = f"{rng.choice(USERNAME_ADJECTIVES).title()} {rng.choice(USERNAME_NOUNS).title()}"
            if pseud_name_errors(name, user=writer):
                continue
            own.append(pseud_create(user=writer, owner=writer, name=name))
        pseuds.append(own)
    return _Accounts(writers, pseuds, created, demo_created)


# -- writing ------------------------------------------------------------------


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


@dataclass(frozen=True)
class DemoSummary:
    users_created: int
    pseuds: int
    fandoms: int
    works_posted: int
    drafts: int
    chapters: int
    words: int
    seconds: float
    demo_username: str
    # None when the demo account existed already: its password may have changed.
    demo_password: str | None

    def describe(self) -> str:
        return (
            f"Created {_count(self.users_created, 'user')}, "
            f"{_count(self.works_posted, 'posted work')} and {_count(self.drafts, 'draft')} "
            f"({_count(self.chapters, 'chapter')}, {_count(self.words, 'word')}) "
            f"in {_count(self.fandoms, 'fandom')} in {self.seconds:.1f} s."
        )

    def login(self) -> str:
        if self.demo_password is None:
            return f"Log in as {self.demo_username} (the account existed already)."
        return f"Log in as {self.demo_username} with password {self.demo_password}"


def _backdate(work: Work, published: Sequence[timedelta]) -> None:
    """Spread the work over the archive's past.

    Demo history: the services stamp a work and its chapters "now", and an
    archive posted all in one second has no history to sort or filter by date.
    Only these date fields change, after the service has done its checks.
    """
    now = timezone.now()
    dates = [now - age for age in published]
    Work.objects.filter(pk=work.pk).update(first_posted_at=dates[0], revised_at=dates[-1])
    for position, when in enumerate(dates, start=1):
        Chapter.objects.filter(work=work, position=position).update(published_at=when)


def generate_demo_archive(
    *,
    works: int,
    seed: int = DEFAULT_SEED,
    users: int | None = None,
    progress: bool = False,
) -> DemoSummary:
    """Write a demo archive of `works` works by `users` accounts (the `demo` account included)."""
    if works < 1:
        raise ValueError("The demo needs at least one work.")
    if users is not None and users < 1:
        raise ValueError("The demo needs at least one user.")
    started = time.monotonic()
    accounts = _create_accounts(random.Random(f"{seed}:users"), users or default_user_count(works))
    fandoms = invent_fandoms(random.Random(f"{seed}:fandoms"), fandom_count(works))
    # The demo account writes a few works, as a moderately busy writer would.
    author_weights = _zipf_weights(len(accounts.writers), 0.9)
    author_weights[0] = author_weights[min(2, len(author_weights) - 1)]
    planner = WorkPlanner(
        random.Random(f"{seed}:works"),
        fandoms,
        author_weights,
        [len(own) - 1 for own in accounts.pseuds],
    )
    posted = drafts = chapters = words = 0
    fandoms_used: set[str] = set()
    bar = tqdm(
        total=works,
        desc="Demo works",
        unit="work",
        file=sys.stderr,
        # None lets tqdm switch itself off when stderr is not a terminal.
        disable=None if progress else True,
    )
    with bar:
        for planned in planner.plan(works):
            planned.data.pseud_ids = [accounts.pseuds[planned.author][planned.pseud].pk]
            with transaction.atomic():
                work = work_create(
                    user=accounts.writers[planned.author],
                    data=planned.data,
                    chapters=planned.chapters,
                    post=planned.post,
                )
                if planned.post:
                    _backdate(work, planned.ages)
            posted += planned.post
            drafts += not planned.post
            chapters += len(planned.chapters)
            words += work.word_count
            fandoms_used.update(planned.data.fandoms)
            bar.update()
    return DemoSummary(
        users_created=accounts.created,
        pseuds=sum(len(own) for own in accounts.pseuds),
        fandoms=len(fandoms_used),
        works_posted=posted,
        drafts=drafts,
        chapters=chapters,
        words=words,
        seconds=time.monotonic() - started,
        demo_username=DEMO_USERNAME,
        demo_password=DEMO_PASSWORD if accounts.demo_created else None,
    )
