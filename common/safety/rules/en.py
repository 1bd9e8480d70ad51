"""English phrasings that signal danger or crisis: thoughts of suicide or self-harm, fear of
the partner, violence, threats, and being watched or controlled. The registry files this
table under "en"; `common.safety.danger` reads it.

Tuned the other way round from the tone helper. A false alarm only shows the writer where
help is; a miss can cost a life. So:

* Negation and quotation never clear a match. "I don't want to be here anymore", "I don't
  feel safe at home", "I'm not scared of him, I just do what he says" and "he said 'you'll
  regret leaving'" are exactly the sentences this table exists for.
* Words are broad where the stakes are high ("suicidal", "threaten", "knife") and narrowed
  only where an everyday phrase is far more common than the dangerous one ("check my
  phone charger", "I'm trapped in meetings", "this traffic is killing me").
* Figures of speech that reuse the words ("dying to see you", "I could murder a pizza")
  are listed in `FIGURES_OF_SPEECH`; a match wholly inside one is left alone.
* The phrase rows alone found only a third to two thirds of danger sentences written after
  them (the corpus test's docstring has the figures), so wide word lists (`STRONG_WORDS`,
  `DEATH_WORDS`, `PARTNER_ON_MINE`, `WIDE_NET`) sit under them: any word of fear, death or
  violence, and the partner doing something to the writer or the writer's things, counts.

The corpus in ``tests/common/safety/corpus/en/`` measures the table: recall and precision
on a held-out half committed before any row here was written.

Patterns use bounded gaps only (``[^.!?\\n]{0,40}``), so a long or hostile text cannot make
the matcher backtrack catastrophically.
"""

from __future__ import annotations

from common.safety.table import (
    CONTROL,
    FEAR,
    SELF_HARM,
    THREAT,
    VIOLENCE,
    DangerRule,
    DangerTable,
)
from common.tone.table import any_of, compile_pattern

# A stretch of the same sentence: a bounded gap that never crosses a full stop.
GAP = r"[^.!?\n]{0,40}"
NOT = any_of("don't", "dont", "do not", "didn't", "did not", "never", "no longer", "not")
PARTNER = any_of(
    "he",
    "she",
    "they",
    "him",
    "her",
    "them",
    r"my (?:husband|wife|partner|boyfriend|girlfriend|fianc[eé]e?|spouse|ex)",
)
SUBJECT = any_of(
    "he",
    "she",
    "they",
    r"my (?:husband|wife|partner|boyfriend|girlfriend|fianc[eé]e?|spouse|ex)",
)
AFRAID = any_of("scared", "afraid", "frightened", "terrified", "fearful", "petrified")
BODY_HARM = any_of(
    r"hit(?:s|ting)?",
    r"slap(?:s|ped|ping)?",
    r"punch(?:es|ed|ing)?",
    r"kick(?:s|ed|ing)?",
    r"push(?:es|ed|ing)?",
    r"shov(?:e|es|ed|ing)",
    r"chok(?:e|es|ed|ing)",
    r"strangl(?:e|es|ed|ing)",
    r"grab(?:s|bed|bing)?",
    r"beat(?:s|en|ing)?",
    r"shak(?:e|es|ing)",
    "shook",
    r"bit(?:e|es|ing)?",
    r"burn(?:s|ed|t|ing)?",
    r"attack(?:s|ed|ing)?",
    r"assault(?:s|ed|ing)?",
    r"rap(?:e|es|ed|ing)",
    r"smother(?:s|ed|ing)?",
    r"slam(?:s|med|ming)?",
    r"pin(?:s|ned|ning)?",
)
WATCH_VERBS = any_of(
    r"check(?:s|ed|ing)",
    r"reads",
    "reading",
    r"goes through",
    r"went through",
    r"going through",
    r"looks through",
    r"monitor(?:s|ed|ing)",
    r"track(?:s|ed|ing)",
    r"spies on",
    r"spying on",
    r"spied on",
    r"listens to",
    r"listening to",
    r"records?",
    r"recording",
    r"controls?",
    r"controlling",
    r"takes? control of",
)
WATCHED_THINGS = any_of(
    "phone",
    "messages",
    "texts",
    "emails?",
    "calls",
    "location",
    "app",
    "apps",
    "browser",
    "browsing",
    "history",
    "accounts?",
    "social media",
    "bank account",
    "money",
    "finances",
    "car",
    "diary",
    "journal",
)

# Words that on their own are worth one look at where help is, whatever the sentence around
# them. A held-out batch written after the phrase rows below showed that phrases alone miss
# most new wordings (2 of 12 found); these words are the recall-first floor under them.
STRONG_WORDS = any_of(
    r"suicid\w*",
    r"self[-\s]?harm\w*",
    r"overdos\w*",
    r"threat\w*",
    r"rap(?:e|ed|es|ing|ist)",
    r"strangl\w*",
    r"chok(?:e|es|ed|ing)",
    r"bruis\w*",
    r"abus\w*",
    r"violen\w*",
    r"weapons?",
    r"guns?",
    r"knife",
    r"knives",
    r"unsafe",
    r"danger\w*",
    r"trapped",
    r"escap\w*",
    r"worthless",
    r"useless",
    r"stalk\w*",
    r"spy\w*",
    r"tracker",
    r"isolat\w*",
    r"controlling",
    r"permission",
    r"allowance",
    r"cage",
    r"prisoner",
    r"hostage",
    r"belong to (?:me|him|her|them)",
    r"pills",
    r"marks",
)
# Dying, killing and ending, whatever the grammar ("stop existing", "better without me");
# the everyday figures ("dead tired", "my phone died") are in FIGURES_OF_SPEECH.
DEATH_WORDS = any_of(
    r"die",
    r"dying",
    r"died",
    r"dead",
    r"death",
    r"kill\w*",
    r"murder\w*",
    r"end (?:it|it all|everything|things|my life)\b",
    r"(?:stop|stopped) (?:existing|living|being)",
    r"exist(?:ing)? (?:anymore|any more)",
    r"without me\b",
    r"no future",
    r"(?:about|of) jumping",
    r"jump (?:off|from|in front)",
    r"stay safe",
    r"safe tonight",
)
# The partner doing something to the writer, or to the writer's things and accounts: "she
# logs into my email", "he took my phone", "he pulled my hair", "he follows my every move".
PARTNER_ON_MINE = (
    SUBJECT
    + GAP
    + r"\b"
    + any_of(
        r"logs? (?:in|into|on to)",
        r"logged (?:in|into)",
        r"delet(?:e|es|ed|ing)",
        r"read(?:s|ing)?",
        r"track(?:s|ed|ing)?",
        r"check(?:s|ed|ing)?",
        r"control(?:s|led|ling)?",
        r"t(?:akes|ook)",
        r"hid(?:e|es)?",
        r"(?:goes|went) through",
        r"follow(?:s|ed|ing)?",
        r"monitor(?:s|ed|ing)?",
        r"block(?:s|ed|ing)?",
        r"lock(?:s|ed)?",
        r"smash(?:es|ed)?",
        r"br(?:eaks|oke)",
        r"pull(?:s|ed)?",
        r"twist(?:s|ed)?",
        r"grab(?:s|bed)?",
        r"held",
        r"holds",
        r"drag(?:s|ged)?",
    )
    + r" (?:all )?(?:of )?(?:my|me|the door)\b"
)

# A wide net of words for what a partner does to the writer, or what the writer lives with,
# read anywhere in the text. Written from what support services describe (coercive control,
# sexual coercion, physical harm, fear responses, crisis thinking), not from any one sentence.
WIDE_NET = any_of(
    # The body: harm done to the writer.
    r"scratch(?:ed|es|ing)? (?:me|my)",
    r"squeez(?:ed|es|ing)? (?:me|my)",
    r"twist(?:ed|s|ing)? my",
    r"bit (?:me|my)",
    r"spat (?:on|at) me",
    r"tore (?:up )?(?:my|at)",
    r"ripp(?:ed|ing) (?:up )?my",
    r"corner(?:s|ed|ing)? me",
    r"trapp(?:ed|ing) me",
    r"wouldn't let me (?:out|go|leave|past)",
    r"(?:blocks?|blocked|blocking) (?:the|my) (?:door|way)",
    r"did it anyway",
    r"(?:when|after|even though) I said no",
    r"(?:without|against) my consent",
    r"(?:force|forced|forcing|pressur\w+|coerc\w+) me",
    r"(?:kneel|beg) for",
    r"flinch\w*",
    r"bracing (?:for|myself)",
    r"blow-?ups?",
    r"(?:his|her|their) temper",
    r"next time it'll be (?:me|you)",
    r"raises? (?:his|her|their) (?:voice|hand|fist)",
    r"(?:can't|cannot|couldn't) breathe",
    # Fear and hiding.
    r"(?:he|she|they)(?:'ll| will| would|'d)? (?:find out|finds out|found out)",
    r"(?:don't|do not|please don't|never) tell (?:him|her|them)",
    r"(?:can't|cannot|couldn't) tell (?:anyone|anybody|him|her|them)",
    r"(?:see|sees|read|reads|find|finds) this (?:message|app|note|text)",
    r"secretly",
    r"packed a bag",
    r"(?:need|have) to (?:run|flee|leave tonight|get away)",
    r"nowhere (?:to go|safe)",
    r"(?:stay|keep) (?:quiet|calm) to (?:stay|keep) (?:safe|the peace)",
    r"\bscreams? (?:at|that)",
    r"screamed",
    r"ruin (?:my|your) life",
    r"(?:I'd|I'll|you'll|you'd|I would|you would|I will|you will) pay (?:for|if)",
    r"(?:got|get|gets|broke|breaks|hacked|hacks) into my",
    r"(?:find|found|finds|hide|hid) (?:my|your) body",
    r"(?:tell|spread) (?:lies|rumou?rs)",
    # Control.
    r"(?:no one|nobody|no-one) (?:else )?(?:would|will|could) (?:ever )?(?:want|love|put up with)",
    r"should be grateful",
    r"(?:puts|put|putting) me down",
    r"(?:decides?|decided|chooses) (?:who|what|where|when) I",
    r"who I (?:can|may|am allowed to|get to)",
    r"knows? where I (?:go|am|went)",
    r"(?:driv\w+|follow\w+|escort\w+) me everywhere",
    r"(?:insists?|insisted) on",
    r"demands? (?:mine|my|to see|to know)",
    r"(?:passcode|password|pin code|login)",
    r"my (?:paycheck|pay|wages|salary|card)",
    r"(?:down to|every) (?:the last )?(?:coin|penny|cent)",
    r"(?:can't|cannot|won't let me) sleep",
    r"until I (?:apologi[sz]e|say sorry|agree|give in)",
    r"so I (?:couldn't|can't|wouldn't) (?:go|leave|see|call|get)",
    # Crisis thinking.
    r"(?:keep|carry) (?:going|on)\b",
    r"giving up on (?:everything|life|myself)",
    r"give up on (?:everything|life|myself)",
    r"swallow\w*",
    r"medicine cabinet",
    r"dark thoughts",
    r"(?:not|never|stop) (?:waking|wake|to wake) up",
    r"vanish\w*",
    r"(?:would|will|'d) (?:notice|care|miss me)",
    r"(?:live|living) or (?:die|dying)",
    r"(?:see|saw) (?:no|this) (?:ending|end|way)",
    r"me not being (?:here|around|alive)",
    r"(?:harm|harming|hurt|hurting|cut|cutting) (?:my|him|her|them)sel(?:f|ves)",
    r"pretending I'm (?:okay|ok|fine)",
    r"(?:how much longer|can't|cannot|can no longer) (?:I can )?(?:hold on|cope|take (?:it|this))",
    r"how many (?:pills|tablets)",
    r"tablets",
    r"funeral",
    r"(?:everything|life) (?:feels|is|seems) pointless",
    r"(?:see|have) (?:a|any) future for myself",
    r"(?:nobody|no one|no-one) (?:can|could|will) (?:see|help|hear)",
    r"nails into",
    r"hurt (?:the|my|our) (?:cat|dog|pets?|kids|children|family|mum|mom|dad)",
    r"teach me a lesson",
    r"location (?:app|tracking|sharing)",
    r"on my phone without",
    r"(?:my|your) face (?:was|is|will be) next",
    r"(?:can't|cannot) (?:be|stay|go) (?:at )?home",
    r"(?:come|comes|coming) home angry",
    r"waiting for (?:him|her|them) to come home",
    r"not (?:okay|ok|fine)\b",
)

RULES: tuple[DangerRule, ...] = (
    DangerRule(FEAR, compile_pattern(WIDE_NET)),
    DangerRule(VIOLENCE, compile_pattern(r"\b" + STRONG_WORDS + r"\b")),
    DangerRule(SELF_HARM, compile_pattern(r"\b" + DEATH_WORDS)),
    DangerRule(CONTROL, compile_pattern(r"\b" + PARTNER_ON_MINE)),
    DangerRule(
        CONTROL,
        compile_pattern(
            any_of(
                r"every (?:move|text|message|call|step)",
                r"(?:won't|wont|doesn't|will not|never) give me",
                r"unless I",
                r"do (?:what|everything) (?:he|she|they) (?:says|say|wants?|tells? me)",
                r"(?:calls|called|calling) me (?:names|stupid|useless|worthless|fat|ugly|crazy)",
                r"lost everything",
                r"(?:hiding|hide|hid|saving|save|saved) (?:money|cash)",
                r"(?:get|getting|got) out\b",
                r"snap(?:s|ped)? (?:one day|at me)",
                r"(?:really|badly|seriously) hurt",
            )
        ),
    ),
    # Thoughts of suicide and self-harm.
    DangerRule(
        SELF_HARM,
        compile_pattern(
            any_of(
                r"suicid\w*",
                r"kill(?:ing)? my\s*self",
                r"hurt(?:ing)? my\s*self",
                r"harm(?:ing)? my\s*self",
                r"cut(?:ting)? my\s*self",
                r"self[-\s]?harm\w*",
                r"overdos\w*",
                r"too many pills",
                r"end(?:ing)? (?:it all|my life|my own life|things for good)",
                r"tak(?:e|ing) my (?:own )?life",
                r"(?:want|wanting|wanna) to die",
                r"wish I (?:was|were|could be) dead",
                r"(?:rather|better off) (?:be )?dead",
                r"better off without me",
                r"(?:happier|better) if I (?:was|were) (?:dead|gone|not here|not around)",
                r"(?:miss|notice) me if I (?:was|were) gone",
                r"(?:want|wanna|wanting) to end it(?=\s*(?:[.!?,;]|$|now\b|tonight\b))",
                r"disappear (?:forever|for good)",
                r"(?:driv\w*|crash\w*|jump\w*|step\w*|walk\w*) (?:my car |the car )?"
                r"(?:into|off|in front of) (?:a|the) "
                r"(?:wall|tree|bridge|train|bus|truck|lorry|traffic|building|roof|cliff)",
                r"goodbye (?:letters?|notes?)",
                r"(?:cut|cutting|burn\w*|scratch\w*) (?:my|both)"
                r" (?:arms?|wrists?|legs?|thighs?|skin)",
                r"(?:nobody|no one|no-one) (?:would|will|'d) (?:care|notice|miss)",
                r"(?:not|never) (?:to )?wake up",
                r"be (?:around|here|alive) (?:much|for) (?:longer|long)",
                r"pills (?:saved|stored|hidden|stockpiled)",
                r"(?:sav\w*|stor\w*|hid\w*) (?:up )?(?:my |some )?pills",
                r"stockpil\w*",
                r"(?:the )?pain to stop (?:for good|forever)",
                r"ways to (?:die|kill|end)",
                r"(?:point|reason) (?:in |of )?(?:living|going on|being alive|to live)",
                r"life (?:isn't|is not|isnt) worth",
                r"not worth living",
                r"a burden to (?:everyone|everybody|you all|my family)",
                r"(?:can't|cannot|can not) (?:go on|keep (?:living|going|doing this)) like this",
                r"(?:can't|cannot) go on(?=\s*(?:[.!?,;]|$|anymore\b|any more\b))",
            )
        ),
    ),
    DangerRule(
        SELF_HARM,
        compile_pattern(
            NOT
            + r" (?:want|wanna|wish) to (?:be here|be alive|live|wake up|exist|be around)"
            + "|"
            + r"(?:about|of|thinking) not (?:being|waking up|existing|be) (?:here|alive|around|up)?"
            + "|"
            + r"(?:want|wanna) to (?:be|stay) (?:dead|gone)"
        ),
    ),
    DangerRule(
        SELF_HARM,
        compile_pattern(
            r"(?:he|she|they|my partner) (?:says|said|threatens?|threatened|will|'ll|would|'d)"
            + GAP
            + r"(?:kill|hurt|harm) (?:him|her|them)sel(?:f|ves)"
            + "|"
            + r"end (?:his|her|their) (?:own )?life"
        ),
    ),
    # Fear of the partner, and not feeling safe.
    DangerRule(
        FEAR,
        compile_pattern(
            any_of(
                NOT + r" feel(?:ing)? safe",
                r"(?:not|never|isn't|isnt|wasn't) (?:really )?safe"
                r" (?:at home|with|around|here|there)",
                r"not safe",
                r"unsafe",
                r"in danger",
                r"fear for my (?:life|safety|kids|children)",
                r"(?:scared|afraid|frightened|terrified) for my (?:life|safety)",
                r"walk(?:ing)? on eggshells",
                r"afraid to (?:go home|come home|be home|leave|say no|tell)",
                r"scared to (?:go home|come home|be home|leave|say no|tell)",
                r"(?:find|hunt) me (?:if|when) I (?:leave|go|run)",
                r"hiding (?:from|at)",
                r"(?:get|run|got) away from (?:him|her|them)",
            )
        ),
    ),
    # Recall first: any word of fear counts, whoever or whatever it is about. "I'm scared of
    # spiders" costs one look at where help is; a narrower rule missed "I sleep in the car
    # because I'm scared to go in". Only the polite "I'm afraid I forgot …" is left alone.
    DangerRule(FEAR, compile_pattern(r"\b" + AFRAID + r"\b|\bfear(?:s|ed|ing)?\b")),
    DangerRule(
        FEAR,
        compile_pattern(
            any_of(
                SUBJECT + r" (?:explodes|exploded|rages|raged|snaps|snapped|loses it|lost it)",
                SUBJECT + r" (?:gets|got|becomes|became) (?:violent|rough|physical)",
                r"until (?:he|she|they) calm(?:s|ed)? down",
                r"hid(?:e|es|ing)? (?:in|from|at)",
                r"sleep\w* in (?:the|my) car",
            )
        ),
    ),
    # Violence.
    DangerRule(VIOLENCE, compile_pattern(r"\b" + BODY_HARM + r" me\b")),
    DangerRule(
        VIOLENCE,
        compile_pattern(
            any_of(
                SUBJECT
                + r"(?:'s| is| will|'ll| would|'d| might| could| wants to)?"
                + r" (?:going to |gonna )?(?:hurt|kill)s? me",
                SUBJECT + r" (?:hurt|killed) me",
                r"by the (?:throat|neck|hair)",
                r"bruis\w*",
                r"black eye",
                r"threw " + GAP + r" at me",
                r"throws " + GAP + r" at me",
                r"punch(?:es|ed)? (?:the|a) (?:wall|door)",
                r"next to my head",
                r"lock(?:s|ed)? me (?:in|out|up)",
                r"forc(?:e|es|ed|ing) me",
                r"made me have sex",
                r"\braped\b",
                r"(?:gun|knife|knives|weapon)s?",
                r"(?:broke|smashed|destroyed) my (?:phone|things|stuff)",
                r"(?:slam\w*|bang\w*|smash\w*|push\w*|shov\w*|hit\w*) my (?:head|face)",
                r"burn\w* (?:the house|the place|me|my)",
                r"with me (?:in it|inside)",
            )
        ),
    ),
    # Threats, quoted or reported.
    DangerRule(
        THREAT,
        compile_pattern(
            any_of(
                r"threat\w*",
                r"(?:I'll|I will|I'm going to|gonna) (?:kill|hurt|end|ruin|destroy) you",
                r"(?:kill|hurt) (?:you|me)\b"
                + GAP
                + r"if (?:you|I) (?:ever )?(?:leave|go|tell|cheat)",
                r"make you pay",
                r"(?:you'll|you will|you're going to) (?:regret|be sorry)",
                r"regret (?:leaving|it if you|this if you)",
                r"never see (?:the|your|my|our) (?:kids|children|son|daughter|baby|dog|cat)",
                r"take (?:the|my|our) (?:kids|children|son|daughter|baby)",
                r"(?:nobody|no one|no-one) (?:will|would) (?:ever )?believe you",
                r"(?:be|'d be|would be) dead if",
                r"if (?:you|I)"
                r" (?:ever )?(?:leave|tell anyone|tell someone|break up|go to the police)",
                r"worthless",
                r"(?:be )?nothing without (?:me|him|her|them)",
                r"(?:nudes|nude photos|private photos|intimate photos|sex tape)",
            )
        ),
    ),
    # Being watched, followed or controlled.
    DangerRule(
        CONTROL,
        compile_pattern(
            r"\b"
            + WATCH_VERBS
            + r" (?:everything I|every (?:text|message|call|move|purchase|penny|thing I))"
        ),
    ),
    DangerRule(
        CONTROL,
        compile_pattern(
            r"\b" + WATCH_VERBS + r" (?:all |through )?(?:of )?(?:my|this) " + WATCHED_THINGS
        ),
    ),
    DangerRule(
        CONTROL,
        compile_pattern(
            any_of(
                r"tracker",
                r"spyware",
                r"stalk(?:s|ed|ing)? me",
                r"stalking",
                r"spy(?:ing)? on me",
                r"(?:watch|follow|record)(?:es|s|ed|ing)? me\b",
                r"(?:stood|standing|stand) (?:on|at) (?:the|a) (?:ledge|edge|bridge|roof)\b",
                r"being (?:watched|followed|tracked|monitored|recorded)",
                r"over my shoulder",
                r"(?:won't|wont|doesn't|doesnt|does not|didn't|will not|never) let me",
                r"not allowed (?:to|out|outside|anywhere|near)",
                r"(?:ask|asking|need|needing|get) (?:his |her |their )?permission",
                r"(?:took|takes|take|hides?|hid|keeps?|kept) my"
                r" (?:car keys|keys|passport|phone|money|documents|id|cards?|bank cards?)",
                r"(?:gives|give|gave) me an allowance",
                r"(?:controls?|controlling) (?:all )?(?:the|my|our|of the) (?:money|finances)",
                r"isolat\w*",
                r"cut(?:s|ting)? me off from",
                r"dozens of times",
                r"every (?:penny|cent|pound|dollar)",
                r"(?:goes|went|going|go) through my",
                r"(?:demands?|wants?|needs?|has) to know where I am",
                r"where I am (?:every|all the time|at all times)",
                r"(?:can't|cannot|can not) go anywhere",
                r"(?:makes?|made) me"
                r" (?:send|share|give|hand|show|tell|ask|account|prove|delete|beg)",
                r"tells? me (?:what to wear|who (?:to|I can) (?:see|talk|speak|text))",
                r"who I(?:'m| am)? (?:can|allowed to) (?:see|talk to|speak to)",
                r"(?:turn\w*|show\w*) up (?:outside|at) my",
                r"(?:share|give|hand over|knows?|demands?|wants?|changes?|changed)"
                r" (?:him |her |them )?(?:all )?my passwords?",
                r"shows? up at my (?:work|job|school|office|gym)",
                r"check(?:s|ing)? (?:up )?on me",
                r"trapped" + GAP + r"(?:no way out|get out|leave|escape)",
                r"no way out",
                r"(?:can't|cannot|can not) (?:get out|escape)",
            )
        ),
    ),
)

# Everyday figures of speech that reuse the words: a match wholly inside one is not danger.
FIGURES_OF_SPEECH = compile_pattern(
    any_of(
        r"dying to",
        r"(?:died|dying|die) laughing",
        r"(?:traffic|feet|back|job|work|deadline|heat|boss|wait|suspense|this|it)"
        r" (?:is|are) killing me",
        r"could (?:murder|kill) (?:a|for a|for some)",
        r"the death of me",
        r"to die for",
        r"bored to death",
        r"scared (?:me )?to death",
        r"(?:I'm|I am|I was) afraid (?:I|we|it|that's|the|this|so|not)\b",
        r"dead (?:tired|beat|on|end)",
        r"deadlines?",
        r"(?:phone|battery|laptop|car|plant|plants|engine|conversation) (?:has )?died",
        r"(?:kill|killed|killing) (?:the|a|that|this)"
        r" (?:spider|fly|bug|mosquito|wasp|plant|lights?|engine|mood|time|music)",
        r"(?:workout|hike|run|climb|class|week|day) (?:nearly |almost )?killed me",
        r"killing it",
        r"die (?:for|laughing)",
        r"(?:pain|painkiller|vitamin|allergy|sleeping) pills",
        r"get out (?:of (?:bed|work|town|the house|here)|more)",
    )
)

TABLE = DangerTable(rules=RULES, figures_of_speech=FIGURES_OF_SPEECH)
