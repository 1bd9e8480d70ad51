"""Spanish phrasing that tends to land as blame ("siempre", "nunca", "deberías", "por tu
culpa", "tu problema es", "si me quisieras", "¿por qué no puedes…?", "deja de ser tan",
labels and attachment labels, sarcasm), in the same rows and codes as the English table
(`common.tone.rules.en.blame`, whose module doc explains how a row decides), so a Spanish
writer gets the same advice (`common.tone.suggestions`, translated by gettext).

What Spanish changes:

* The subject is usually dropped ("Siempre llegas tarde"), so "you" is the verb's person:
  "siempre" or "nunca" is a trigger only when a tú verb follows (`words.V2S`), and "I" or
  "we" sentences ("siempre llego tarde", "nunca pensé") are left alone by construction.
* Accents are optional when people type fast: the table reads an unaccented copy of the
  text (`words.FOLD`, one character for one, so spans stay exact).
* A question is marked at its start ("¿Siempre trabajas los sábados?"): an open "¿" before
  the trigger makes it curiosity, not a verdict.
* "No … nunca" is one negation ("No me escuchas nunca"), and "no" before a verdict negates
  it ("No es culpa tuya", "No eres egoísta").

The corpus is `tests/common/tone_corpus_es.tsv`: its held-out half was written before any
of these rows, and the test prints precision and recall on both halves.
"""

from __future__ import annotations

import re

from common.tone.rules.es.labels import (
    ANXIOUS,
    ATTACHMENT_POINTERS,
    ATTACHMENT_STYLES,
    ATTACHMENT_WORDS,
    INSULT_NOUNS,
    LABEL_FILLERS,
    LABEL_LEAD,
    LABEL_WORDS,
    SOFT_LABEL_INTENSIFIERS,
    SOFT_LABEL_WORDS,
)
from common.tone.rules.es.words import (
    ALWAYS_WARM,
    BEFORE_A_TU_VERB,
    CLITICS,
    CRITICAL_WORDS,
    FOLD,
    NEGATED,
    NEVER_WARM,
    OFFER_OR_CONDITION,
    OPEN_QUESTION,
    SENTENCE_START,
    SHOULD_NOT_WARM,
    SHOULD_WARM,
    SOFTENERS,
    V2S,
)
from common.tone.suggestions import ADVICE
from common.tone.table import ToneRule, ToneTable
from common.tone.table import any_of as _any
from common.tone.table import compile_pattern as _compile

_CLITICS = rf"(?:{_any(*CLITICS)} ){{0,2}}"
_FILLERS = rf"(?: {_any(*LABEL_FILLERS)}){{0,3}}"


def _warm(*phrases: str) -> re.Pattern[str]:
    return _compile(rf"^(?:{_any(*SOFTENERS)} ){{0,3}}{_any(*phrases)}(?:\b|$)")


def _row(
    *,
    code: str,
    pattern: re.Pattern[str],
    warm_after: re.Pattern[str] | None = None,
    skip_before: re.Pattern[str] | None = None,
    off_for: frozenset[str] = frozenset(),
) -> ToneRule:
    advice = ADVICE[code]
    return ToneRule(
        code=code,
        pattern=pattern,
        suggestion=advice.suggestion,
        i_statement=advice.i_statement,
        warm_after=warm_after,
        skip_before=skip_before,
        off_for=off_for,
    )


RULES: tuple[ToneRule, ...] = (
    _row(
        code="name_calling",
        # "¡Idiota!" on its own.
        pattern=_compile(rf"(?:^|(?<=[.!?\"'(]))[^\S\n]*¡?(?P<hit>{_any(*INSULT_NOUNS)})[^\S\n]*!"),
    ),
    _row(
        code="attachment_label",
        # "eres tan evitativo", "estás siendo súper evitativa", "eres emocionalmente no
        # disponible", "eres tan ansiosa con todo".
        pattern=_compile(
            _any(
                rf"{LABEL_LEAD}{_FILLERS} {_any(*ATTACHMENT_WORDS)}",
                rf"\beres(?: (?:un|una))? (?:tan|muy|super|demasiado|siempre) {ANXIOUS}",
            )
            + r"\b"
        ),
        skip_before=_compile(NEGATED),
    ),
    _row(
        code="attachment_label",
        # "tu apego ansioso", "tu estilo de apego evitativo", "típica reacción de evitativa".
        pattern=_compile(
            _any(
                rf"\btu (?:apego|estilo de apego|lado|parte)(?: {_any(*ATTACHMENT_STYLES)})"
                r"(?: de (?:siempre|nuevo))?",
                rf"\b{_any(*ATTACHMENT_POINTERS)} {_any(*ATTACHMENT_WORDS)}",
                rf"\b(?:un|una) {_any(*ATTACHMENT_WORDS)} de (?:manual|libro)",
            )
            + r"\b"
        ),
        skip_before=_compile(NEGATED),
    ),
    _row(
        code="name_calling",
        # "eres un egoísta", "eres tan inmadura", "te portas como un niño".
        pattern=_compile(rf"{LABEL_LEAD}{_FILLERS} {_any(*LABEL_WORDS)}\b"),
        skip_before=_compile(NEGATED),
    ),
    _row(
        code="name_calling",
        # "¡Qué egoísta eres!", "estás loco".
        pattern=_compile(
            _any(
                rf"\bque {_any(*LABEL_WORDS)} (?:eres|estas)",
                r"\bestas(?: (?:un poco|completamente|totalmente|como una cabra))?"
                r" (?:loc[oa]|chalad[oa]|zumbad[oa]|mal de la cabeza)(?! (?:por|de (?:amor"
                r"|alegria|contento|contenta)))",
            )
            + r"\b"
        ),
        skip_before=_compile(NEGATED),
    ),
    _row(
        code="name_calling",
        # "estás siendo muy fría", "eres tan frío a veces".
        pattern=_compile(
            rf"\b(?:eres|estas|te pones)(?: {_any(*SOFT_LABEL_INTENSIFIERS)}){{1,2}}"
            rf" {_any(*SOFT_LABEL_WORDS)}\b"
        ),
        skip_before=_compile(NEGATED),
    ),
    _row(
        code="fault_finding",
        pattern=_compile(
            _any(
                r"por tu culpa",
                r"(?:es|fue|todo es|esto es|todo fue|eso es|la culpa es)(?: toda| todo)?"
                r" (?:por )?(?:tu culpa|culpa tuya|tuya)",
                r"(?:lo |me lo |nos lo )?(?:has |)(?:arruinado|arruinaste|estropeado|estropeaste"
                r"|fastidiado|fastidiaste|echado a perder|echaste a perder|jodido|jodiste)"
                r"(?= todo|\s*[.!?,]|$)",
                r"mira lo que (?:has hecho|hiciste|me has hecho hacer|me hiciste hacer)",
                r"me (?:hiciste|haces|has hecho|obligaste a|obligas a) (?:gritar|perder|llorar"
                r"|enfadar|reaccionar|hacer|decir|ponerme)",
            )
            + r"\b"
        ),
        skip_before=_compile(r"\bno\s+$"),
    ),
    _row(
        code="globalizing",
        pattern=_compile(
            _any(
                r"eres (?:igual(?:it[oa])?|clavad[oa]|identic[oa]|como) (?:que |a )?tu (?:madre"
                r"|padre|mama|papa|ex|familia|herman[oa])",
                r"(?:nunca|jamas) vas a cambiar",
                r"no vas a cambiar (?:nunca|jamas)",
                r"(?:que |tan |muy )?tipico(?: de ti)?(?=\s*[.!?,]|$)",
                r"tipico de ti",
                r"todo (?:tiene que |lo tienes que hacer )?(?:girar|gira|va|es)(?: siempre)?"
                r" (?:en torno a|alrededor de|sobre) ti",
                r"(?:siempre es lo mismo contigo|contigo siempre es lo mismo)",
                r"no te importa (?:nada|nadie|lo que (?:siento|pienso|me pasa)|lo mio"
                r"|mis sentimientos|nada ni nadie)",
                r"nada (?:de lo que hago )?es (?:nunca )?suficiente para ti",
                r"(?:que|cual) es tu problema conmigo",
            )
            + r"\b"
        ),
    ),
    _row(
        code="your_problem",
        pattern=_compile(
            _any(
                r"\btu (?:unico |mayor |gran |verdadero |principal )?problema (?:es|fue|son)",
                r"(?:ese|eso) es (?:tu problema|problema tuyo|un problema tuyo)",
                r"\bes (?:tu problema|problema tuyo)",
                r"el problema (?:eres tu|contigo es|es que tu|aqui eres tu)",
                r"cual es tu problema",
                r"que problema tienes",
                r"tienes (?:un |algun )?problema(?: (?:serio|grave|de verdad))? con"
                r" (?:el control|todo|todos|todo el mundo|la gente|mi familia|mis amigos|mi)",
                r"tienes (?:un problema|problemas)(?: (?:serios?|graves?))?(?=\s*[.!?]|$)",
            )
            + r"\b"
        ),
        skip_before=_compile(r"(?:\bsi|\bcuando|\bno|\bacaso|¿)\s*$"),
    ),
    _row(
        code="love_test",
        pattern=_compile(
            _any(
                r"\bsi (?:de verdad |realmente |en serio |de veras )?(?:me|nos) (?:quisieras"
                r"|quisieses|amaras|amases|respetaras|valoraras|quisieras de verdad)",
                r"\bsi (?:de verdad |realmente |en serio )?(?:yo |lo nuestro |esto )?"
                r"(?:te )?importara(?:mos)?(?: algo)?",
                r"\bsi te importo(?: algo| de verdad)?,",
                r"(?:alguien|una persona|una pareja|quien|cualquiera) que (?:te|me|de verdad te"
                r"|de verdad me) (?:quiere|quisiera|ama|amara|respeta|respetara|valora)"
                r"(?: de verdad)? no",
                r"(?:de verdad|acaso|en serio) (?:me|nos) (?:quieres|amas|respetas)(?=\s*\?)",
                r"(?:acaso )?te importo (?:algo|siquiera)(?=\s*\?)",
            )
            + r"\b"
        ),
    ),
    _row(
        code="why_cant_you",
        pattern=_compile(
            _any(
                rf"por que (?:no|nunca|jamas) {_CLITICS}{V2S}",
                r"por que siempre tienes que",
                r"cuantas veces (?:te |se )?(?:lo )?(?:tengo|voy a tener|he|tendre) (?:que|de)"
                r"(?: decir| repetir| pedir| explicar)?",
                r"por una vez en tu vida",
                r"tanto te cuesta",
                r"es tan dificil(?= \w+ar\b| \w+er\b| \w+ir\b|\s*\?)",
                r"te costaria tanto",
                r"no eres capaz de",
            )
        ),
    ),
    _row(
        code="stop_being_so",
        pattern=_compile(
            _any(
                r"\b(?:deja|para|dejate) de (?:ser|portarte|comportarte|actuar|ponerte|hacerte)"
                r"(?: (?:tan|como|asi|un|una|el|la))+ (?!dur[oa] contigo|modest[oa]|timid[oa]"
                r"|humilde)\w+",
                r"\bno seas (?:tan |asi de |un |una )+(?!dur[oa] contigo|exigente contigo"
                r"|modest[oa]|timid[oa]|humilde)\w+",
                r"\b(?:deja|para|basta) (?:ya )?de (?:exagerar|quejarte|lloriquear|dramatizar"
                r"|victimizarte|hacer(?:te)? (?:la|el) (?:victima|martir|tont[oa]|loc[oa]"
                r"|sord[oa])|(?:hacer|montar) (?:un )?(?:drama|numerito|escena)|dramas|quejas"
                r"|tonterias|ponerte asi|darle vueltas a todo|sacarlo todo de quicio)",
            )
            + r"\b"
        ),
    ),
    _row(
        code="sarcasm",
        pattern=_compile(
            _any(
                r"\bgracias(?: por (?:nada(?=\s*[.!?,;]|$)|dignarte|fin\b|acordarte por fin)"
                r"|,? supongo(?=\s*[.!?…]|$))",
                r"\b(?:genial|perfecto|estupendo|fantastico|que bien|maravilloso),? supongo"
                r"(?=\s*[.!?…]|$)",
                r"\b(?:vaya|oh|ah|bueno),? (?:que bien|genial|perfecto|estupendo|fantastico"
                r"|que maravilla)(?=[^.!?\n]{0,60}\b(?:otra vez|de nuevo|como siempre|tarde"
                r"|olvid\w*|ya estamos))",
                r"\b(?:que bien|genial|perfecto|estupendo),? (?=(?:otra vez|de nuevo|como siempre"
                r"|se te (?:ha )?olvid\w*|olvidaste|ya estamos)\b)",
                r"\b(?:genial|perfecto|estupendo|fantastico),? (?:simplemente|sencillamente"
                r"|realmente|de verdad) (?:genial|perfecto|estupendo|fantastico)",
                r"\bmira quien (?:se ha |se |ha )?(?:acordado|acordo|aparecido|aparecio|decidido"
                r"|decidio|dignado|digno|vuelto|volvio)",
                SENTENCE_START + r"(?:que|muy|tan|super|realmente) madur[oa](?=\s*[.!?]|$)",
                r"\bdebe (?:de )?ser (?:bonito|lindo|agradable|genial|comodo|maravilloso"
                r"|estupendo)(?= no | tener | poder | vivir | que )",
                r"\bque (?:detalle|amable|considerad[oa])(?: de tu parte)?(?: que)? por fin",
                r"\bque amable de tu parte (?:aparecer|contestar|avisar|dignarte|acordarte)",
                r"\b(?:ah|oh|vaya|anda),? (?:asi que )?ahora (?:si )?(?:te importa|quieres"
                r"|tienes tiempo|te acuerdas|te interesa)",
                r"\bme alegra que por fin (?:te (?:hayas dado|des) cuenta|aparezcas|contestes"
                r"|te acuerdes)",
            )
        ),
    ),
    _row(
        code="should_statement",
        # "No deberías hablarme así" (but "no deberías sentirte culpable" is care).
        pattern=_compile(r"\bno (?:deberias|debes|tendrias que|tienes que)\b"),
        warm_after=_warm(*SHOULD_NOT_WARM),
        skip_before=_compile(r"(?:\bsi|\bcuando|\baunque|\blo que)\s+$"),
    ),
    _row(
        code="should_statement",
        pattern=_compile(
            r"\b(?:tu )?(?:ya )?(?:deberias|debes|tendrias que|tienes que|deberias de"
            r"|debiste|tenias que)\b"
        ),
        warm_after=_warm(*SHOULD_WARM),
        skip_before=_compile(OFFER_OR_CONDITION),
    ),
    _row(
        code="should_statement",
        # "Necesitas calmarte." is an instruction; in `your_need_as_i_understand`
        # "Necesitas saber con tiempo cuándo vienen visitas" is the answer the field asks for.
        pattern=_compile(r"\b(?:tu )?necesitas(?= \w+(?:ar|er|ir)(?:te|me|lo|la|nos)?\b)"),
        warm_after=_warm(*SHOULD_WARM),
        skip_before=_compile(OFFER_OR_CONDITION),
        off_for=frozenset({"your_need_as_i_understand"}),
    ),
    _row(
        code="absolute_never",
        pattern=_compile(
            _any(
                rf"\b(?:tu )?(?:nunca|jamas){BEFORE_A_TU_VERB}",
                rf"\bno {_CLITICS}{V2S}(?: \w+){{0,2}}? (?:nunca|jamas)\b",
            )
        ),
        warm_after=_warm(*NEVER_WARM),
        skip_before=_compile(OPEN_QUESTION),
    ),
    _row(
        code="absolute_always",
        pattern=_compile(
            _any(
                rf"\b(?:tu )?siempre{BEFORE_A_TU_VERB}",
                r"\b(?:llegas|estas|haces|dices|pones|dejas|vas|eres|te pones|me dejas)"
                r" siempre\b",
            )
        ),
        warm_after=_warm(*ALWAYS_WARM, "en mis (?:pensamientos|sueños|oraciones)", "conmigo"),
        skip_before=_compile(rf"{OPEN_QUESTION}|{NEGATED}"),
    ),
)


_CRITICAL = _compile(rf"\b{_any(*CRITICAL_WORDS)}\b")

TABLE = ToneTable(rules=RULES, critical=_CRITICAL, fold=FOLD)
