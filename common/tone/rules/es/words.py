"""Spanish words the blame table (`blame.py`) is written with. Everything is written
without accents: the table folds á/é/í/ó/ú/ü to their plain letters before reading (one
character for one, so no offset moves), because people often type "deberias" or "tu culpa"
in a hurry. A Spanish writer drops the subject ("Siempre llegas tarde"), so "you" is found
in the verb: `V2S` is a verb in the second person singular (tú), the way the rows recognise
that a sentence speaks about the partner. Regex fragments and tuples, as in the English
`words.py`; `common.tone.table.any_of` joins a tuple into an alternation, longest first."""

from __future__ import annotations

from common.tone.table import any_of as _any

# Unaccented, one character for one: what the table reads instead of the text as typed.
FOLD: dict[int, int] = str.maketrans("áéíóúüÁÉÍÓÚÜ", "aeiouuAEIOUU")

# Pronouns that sit between "siempre"/"nunca" and the verb ("nunca *me lo* dices").
CLITICS = ("me", "te", "nos", "lo", "la", "los", "las", "le", "les", "se")
_CLITICS = rf"(?:{_any(*CLITICS)} ){{0,2}}"

# Words ending like a tú verb that are not one ("siempre *las* mismas", "nunca *mas*").
NOT_VERBS = (
    "las",
    "les",
    "los",
    "mas",
    "mis",
    "tus",
    "sus",
    "nos",
    "vos",
    "tres",
    "seis",
    "mes",
    "pues",
    "antes",
    "despues",
    "entonces",
    "veces",
    "cosas",
    "todas",
    "todos",
    "mientras",
    "ademas",
    "jamas",
    "quizas",
    "atras",
    "detras",
    "demas",
    "otras",
    "unas",
    "esas",
    "aquellas",
    "tardes",
    "noches",
    "semanas",
    "horas",
    "personas",
    "ganas",
    "ellas",
    "muchas",
    "pocas",
    "algunas",
    "iguales",
    "mejores",
    "peores",
    "lunes",
    "martes",
    "miercoles",
    "jueves",
    "viernes",
    "ellas",
    "nosotras",
    "vosotras",
    "ustedes",
    "dias",
)
# A verb in the second person singular: present (-as/-es), preterite (-aste/-iste),
# imperfect (-abas/-ias), future (-ras), and the short irregular ones.
V2S = (
    rf"(?:eres|has|vas|das|ves|estas|(?!{_any(*NOT_VERBS)}\b)"
    r"\w{2,}(?:aste|iste|abas|ias|as|es))\b"
)
# "siempre"/"nunca" followed by a tú verb, with its pronouns: a lookahead, so the trigger
# is the absolute itself and `warm_after` reads the verb and what follows it.
BEFORE_A_TU_VERB = rf"(?= {_CLITICS}{V2S})"

# Between a trigger and its warm complement ("siempre *me* haces reír").
SOFTENERS = ("me", "nos", "te", "lo", "tan", "muy", "de verdad", "siempre", "todavia")

ALWAYS_WARM = (
    "haces (?:reir|sonreir|feliz|sentir (?:bien|mejor|querid[oa]|especial|segur[oa]"
    "|en casa|a salvo|acompañad[oa])|la vida|el dia)",
    "sabes (?:que|como|cuando|exactamente|lo que)",
    "(?:apoyas|cuidas|escuchas|entiendes|ayudas|animas|sorprendes|alegras|proteges|abrazas"
    "|consientes|inspiras|acompañas|respetas|comprendes|defiendes|mimas|tranquilizas)",
    "das (?:fuerza|animo|paz|calma|los mejores|buenos|lo mejor)",
    "estas (?:ahi|aqui|guap\\w*|precios\\w*|radiante|para (?:mi|nosotros)|a mi lado"
    "|pendiente de (?:mi|nosotros)|en mis|de mi lado|cuando te necesito)",
    "encuentras (?:la manera|el momento|tiempo|la forma)",
    "tienes (?:una palabra|un abrazo|tiempo para (?:mi|nosotros)|razon en)",
    "cuentas con(?:migo)?",
    "piensas en (?:mi|nosotros|los demas)",
    "vuelves",
    "llegas a tiempo",
    "(?:eres|has sido) (?:tan |muy )?(?:amable|buen[oa]|cariños[oa]|generos[oa]|paciente"
    "|atent[oa]|divertid[oa]|dulce|honest[oa]|leal|mi|el mejor|la mejor|un sol)",
    "hueles (?:bien|genial)",
    "dices (?:lo (?:justo|correcto|mas bonito)|cosas bonitas)",
)

NEVER_WARM = (
    "(?:fallas|juzgas|decepcionas|defraudas|presionas|obligas|reprochas|criticas|mientes)",
    "(?:me |nos )?metes prisa",
    "dejas de (?:sorprender|sorprenderme|sorprendernos|intentarlo|apoyar|apoyarme|cuidar"
    "|cuidarme|quererme|aprender|crecer|hacerme (?:reir|sonreir))",
    "has (?:fallado|dejado de|juzgado|mentido|defraudado|decepcionado)",
    "te rindes",
    "levantas la voz",
    "gritas",
    "me haces sentir (?:mal|pequeñ[oa]|culpable|sol[oa]|tont[oa]|juzgad[oa]|presionad[oa])",
    "das nada por (?:sentado|hecho)",
    "te olvidas de (?:mi|nosotros|lo importante)",
    "tienes que (?:preocuparte|disculparte|pedir perdon|dar explicaciones|esconder)",
    "sabes$",
)

SHOULD_WARM = (
    "(?:descansar|dormir|comer|relajarte|cuidarte|mimarte|ver|probar|venir|conocer|escuchar"
    " (?:esta|este|esa|ese)|leer (?:este|esta|ese|esa)|visitar|ir a ver|celebrarlo|estar"
    " orgullos[oa]|sentirte (?:orgullos[oa]|bien|libre|tranquil[oa])|tomarte (?:un|el|tiempo"
    "|algo|las cosas)|darte (?:un|el) (?:capricho|baño|descanso|gusto)|saber que (?:te|yo|eres"
    "|lo|estoy)|intentarlo|ir (?:al|a la) medico|pedir (?:ayuda|el dia))",
)
SHOULD_NOT_WARM = (
    "(?:sentirte|estar) (?:culpable|mal|avergonzad[oa]|sol[oa]|responsable)",
    "preocuparte",
    "disculparte",
    "pedir (?:perdon|disculpas)",
    "cargar",
    "hacerlo (?:sol[oa]|tod[oa])",
    "dar explicaciones",
    "esconder",
    "agradecer",
    "ser tan (?:dur[oa]|exigente) contigo",
    "dudar de ti",
    "hacer(?:lo)? nada",
)

# A warm complement stops counting when the rest of its clause turns sour.
CRITICAL_WORDS = (
    "molest\\w*",
    "enfad\\w*",
    "fastidi\\w*",
    "arruin\\w*",
    "estrope\\w*",
    "olvid\\w*",
    "humill\\w*",
    "ignor\\w*",
    "critic\\w*",
    "grit\\w*",
    "decepcion\\w*",
    "quej\\w*",
    "tarde",
    "mal",
    "llorar",
    "sobre ti",
)

# A question ("¿Siempre trabajas los sábados?"): an opening mark not yet closed.
OPEN_QUESTION = r"¿[^?!.]*$"
# A condition or an offer ("si tienes que irte antes, lo entiendo").
OFFER_OR_CONDITION = r"(?:\bsi|\bcuando|\baunque|\blo que|\ben caso de que|\bno)\s+$"
# Negated in the same clause: "no eres egoísta", "no es culpa tuya", "no es que siempre …".
NEGATED = r"(?:\bno|\bnunca|\bjamas|\bni|\bnadie)\b[^.!?,;]{0,30}$"
# Where a sentence starts (an opening ¡ or ¿ may come first).
SENTENCE_START = r"(?:^|(?<=[.!?]\s)|(?<=[.!?]\n))¡?"
