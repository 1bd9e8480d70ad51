"""Spanish labels: name-calling, mood words said as a verdict, and the attachment words Haven
never uses about a person. Unaccented (see `words.py`), with both genders where Spanish has
them ("egoísta", "inmadur[oa]")."""

from __future__ import annotations

LABEL_WORDS = (
    "egoista",
    "idiota",
    "imbecil",
    "estupid[oa]",
    "tont[oa]",
    "inutil",
    "vag[oa]",
    "perezos[oa]",
    "inmadur[oa]",
    "infantil",
    "ridicul[oa]",
    "insoportable",
    "inaguantable",
    "egocentric[oa]",
    "toxic[oa]",
    "histeric[oa]",
    "dramatic[oa]",
    "exagerad[oa]",
    "pesad[oa]",
    "paranoic[oa]",
    "manipulador[a]?",
    "controlador[a]?",
    "desconsiderad[oa]",
    "irresponsable",
    "desagradecid[oa]",
    "cruel",
    "patetic[oa]",
    "cobarde",
    "mentiros[oa]",
    "imposible",
    "insensible",
    "egoista",
    "caprichos[oa]",
    "mimad[oa]",
    "neurotic[oa]",
    "inestable",
    "agobiante",
    "un desastre",
    "una pesadilla",
    "un fracaso",
    "una decepcion",
    "un crio",
    "una cria",
    "(?:un|una) niñ[oa](?: pequeñ[oa])?",
    "(?:un|una) bebe",
    "(?:un|una) vict[i]ma",
    "(?:un|una) martir",
    "un robot",
)
INSULT_NOUNS = (
    "idiota",
    "imbecil",
    "estupid[oa]",
    "gilipollas",
    "capull[oa]",
    "pendej[oa]",
    "tarad[oa]",
    "cretin[oa]",
    "bob[oa]",
    "inutil",
)
# Mood words that can be care ("¿estás cansada?") and are a verdict only with a word that
# makes them one ("estás *siendo muy* fría", "eres *tan* frío").
SOFT_LABEL_WORDS = ("fri[oa]", "distante", "cerrad[oa]", "sec[oa]", "borde", "ausente")
SOFT_LABEL_INTENSIFIERS = ("tan", "muy", "super", "demasiado", "siempre", "siendo", "bastante")
# What may stand between the lead ("eres") and the label: "eres *un* egoísta", "eres *tan*".
LABEL_FILLERS = (
    "un",
    "una",
    "tan",
    "muy",
    "super",
    "tremendamente",
    "realmente",
    "de verdad",
    "el",
    "la",
    "mas",
    "un poco",
    "bastante",
    "siempre",
    "como",
    "todo",
    "toda",
    "increiblemente",
    "completamente",
    "totalmente",
    "tan pero tan",
)
# "eres", "estás siendo", "te portas como": the partner described as a kind of person.
LABEL_LEAD = (
    r"(?:\btu |\bque )?\b(?:eres|estas siendo|te estas portando como|te portas como"
    r"|te comportas como|actuas como|te pones en plan|te has vuelto)"
)

ATTACHMENT_WORDS = (
    "evitativ[oa]",
    "evitante",
    "codependiente",
    "dependiente emocional",
    "emocionalmente (?:no disponible|indisponible|inaccesible|ausente|distante)",
)
# "ansioso" is a mood as often as a label: only with "eres" and an intensifier.
ANXIOUS = "ansios[oa]"
ATTACHMENT_STYLES = ("ansios[oa]", "evitativ[oa]", "evitante", "desorganizad[oa]", "insegur[oa]")
_WHAT = r"(?: (?:reaccion|cosa|movimiento|respuesta|jugada|comportamiento))?"
ATTACHMENT_POINTERS = (
    rf"tipic[oa]{_WHAT} de(?: (?:un|una))?",
    rf"clasic[oa]{_WHAT} de(?: (?:un|una))?",
    r"tu (?:lado|parte|modo)",
    r"deja de ser tan",
)
