"""The seeded prompt library in Spanish: tú, warm, unhurried, written for the question rather
than word for word (docs/spanish-style.md). Each row of 0002 is found by its stable id, and
gets its Spanish only while its English is still the seeded one: a prompt a coach has since
rewritten keeps whatever translation the coach gives it. Reversing removes only these
Spanish texts, and only where they are still as written here."""

import importlib

from django.db import migrations

SPANISH = {
    # --- light
    "What's one small thing today that went better than you expected?": "¿Qué cosa pequeña de hoy salió mejor de lo que esperabas?",
    "Name a little comfort you were glad to have this week.": "Cuéntame un pequeño consuelo que agradeciste tener esta semana.",
    "What's something in your home you're quietly thankful for?": "¿Qué hay en tu casa que, en silencio, agradeces tener?",
    "Who made your day a bit easier lately, and how?": "¿Quién te hizo el día un poco más fácil últimamente, y cómo?",
    "What's a taste, smell or sound that made you smile recently?": "¿Qué sabor, olor o sonido te sacó una sonrisa hace poco?",
    "Which part of your usual routine are you glad to have?": "¿Qué parte de tu rutina de siempre te alegra tener?",
    "What's a meal we shared that you still think about?": "¿Qué comida que compartimos todavía recuerdas?",
    "Which song takes you straight back to a good moment?": "¿Qué canción te lleva directamente a un buen momento?",
    "What's a place we've been that you'd happily visit again?": "¿A qué lugar donde estuvimos volverías encantado o encantada?",
    "What's a silly moment from our early days that still makes you grin?": "¿Qué momento tonto de nuestros comienzos todavía te hace sonreír?",
    "What's a photo on your phone you like coming back to?": "¿Qué foto de tu teléfono te gusta volver a mirar?",
    "What did a really good weekend look like when you were a kid?": "De pequeño o pequeña, ¿cómo era un fin de semana realmente bueno?",
    "What's on your mind for tomorrow, if anything?": "¿Tienes algo en mente para mañana?",
    "What was the best part of your day so far?": "¿Qué ha sido lo mejor de tu día hasta ahora?",
    "If today had a weather report, what would it say?": "Si hoy tuviera un pronóstico del tiempo, ¿qué diría?",
    "What are you looking forward to this week, even a little?": "¿Qué esperas con ganas esta semana, aunque sea un poco?",
    "What did you eat today that you enjoyed?": "¿Qué comiste hoy que te gustó?",
    "Which small task are you glad to have off your plate?": "¿Qué tarea pequeña te alegra haberte quitado de encima?",
    "If we had a free afternoon with no plans, what would you pick?": "Si tuviéramos una tarde libre sin planes, ¿qué elegirías?",
    "What snack would you insist on bringing on a road trip?": "¿Qué algo rico para el camino no puede faltar en un viaje por carretera?",
    "Which place from a book or film would you visit for a day?": "¿Qué lugar de un libro o una película visitarías por un día?",
    "What's a game, puzzle or hobby you'd like to try together?": "¿Qué juego, rompecabezas o afición te gustaría probar juntos?",
    "If this week had a theme song, what would it be?": "Si esta semana tuviera una canción, ¿cuál sería?",
    "What would you name a pet we'll probably never get?": "¿Qué nombre le pondrías a una mascota que probablemente nunca tendremos?",
    "Where would you go for a long weekend if time and money were no object?": "Si el tiempo y el dinero no importaran, ¿adónde irías un fin de semana largo?",
    "What's a skill you'd enjoy picking up someday?": "¿Qué habilidad te gustaría aprender algún día?",
    "What's one thing you'd like to do more of this year?": "¿Qué te gustaría hacer más este año?",
    "What does a perfect lazy Sunday look like to you?": "¿Cómo es para ti un domingo tranquilo perfecto?",
    "Which season are you most looking forward to, and why?": "¿Qué estación del año esperas con más ganas, y por qué?",
    "What's a small adventure you'd like to have this month?": "¿Qué pequeña aventura te gustaría vivir este mes?",
    "What helps you unwind at the end of a long day?": "¿Qué te ayuda a desconectar al final de un día largo?",
    "What's one thing that would make tomorrow a little easier?": "¿Qué haría que mañana fuera un poco más fácil?",
    "How do you like to spend the first half hour after getting home?": "¿Cómo te gusta pasar la primera media hora al llegar a casa?",
    "Is there a small thing that would help you this week?": "¿Hay algo pequeño que te ayudaría esta semana?",
    "What kind of message feels nice to get in the middle of the day?": "¿Qué tipo de mensaje te gusta recibir a mitad del día?",
    "What's your go-to way to recharge when you're tired?": "Cuando estás cansado o cansada, ¿cuál es tu forma favorita de recargarte?",
    "What's a small thing that helps you reset after a grumpy moment?": "¿Qué cosa pequeña te ayuda a recomponerte después de un momento de mal humor?",
    "When a day goes sideways, what helps you feel better?": "Cuando un día se tuerce, ¿qué te ayuda a sentirte mejor?",
    "What's a kind thing someone said to you after a rough moment?": "¿Qué te dijo alguien, con cariño, después de un mal momento?",
    "What's your favourite way to make up after a small mix-up?": "¿Cuál es tu forma favorita de hacer las paces después de un pequeño malentendido?",
    "What helps you laugh something off?": "¿Qué te ayuda a tomarte algo con humor?",
    "What's a gesture that says \"we're okay\" to you?": "¿Qué gesto te dice «estamos bien»?",
    "What's something I did recently that you liked?": "¿Qué hice hace poco que te gustó?",
    "What's a quality of mine that made you smile this week?": "¿Qué cualidad mía te hizo sonreír esta semana?",
    "Which of my little habits do you secretly enjoy?": "¿Qué pequeña costumbre mía te gusta en secreto?",
    "What's something you're proud of yourself for this week?": "¿De qué te sientes orgulloso u orgullosa esta semana?",
    "What's one way we work well as a team?": "¿En qué funcionamos bien como equipo?",
    "What's a compliment that always lands well with you?": "¿Qué cumplido te llega siempre?",
    "What's your favourite way to spend time on your own?": "¿Cuál es tu forma favorita de pasar tiempo a solas?",
    "Where do you go, indoors or out, when you'd like some quiet?": "¿Adónde vas, dentro o fuera de casa, cuando buscas un poco de calma?",
    "What solo activity leaves you feeling refreshed?": "¿Qué actividad a solas te deja como nuevo o nueva?",
    "How much downtime feels right to you on a typical weekday?": "En un día normal entre semana, ¿cuánto tiempo de descanso te parece el justo?",
    "What's a hobby you like to keep just for yourself?": "¿Qué afición te gusta guardar solo para ti?",
    "How can you tell you've had a good amount of time to yourself?": "¿Cómo notas que has tenido suficiente tiempo para ti?",
    "What's a small thing we do together that you enjoy?": "¿Qué cosa pequeña que hacemos juntos disfrutas?",
    "What's your favourite way for us to say good morning?": "¿Cuál es tu forma favorita de darnos los buenos días?",
    "Which little ritual of ours would you keep forever?": "¿Qué pequeño ritual nuestro conservarías para siempre?",
    "What's something simple we could do side by side this week?": "¿Qué cosa sencilla podríamos hacer uno al lado del otro esta semana?",
    "When do you feel most relaxed around me?": "¿Cuándo te sientes más relajado o relajada conmigo?",
    "What's a cosy plan for a quiet evening together?": "¿Qué plan acogedor se te ocurre para una tarde tranquila juntos?",
    # --- medium
    "What's something about our life together you'd hate to take for granted?": "¿Qué hay en nuestra vida juntos que no te gustaría dar nunca por sentado?",
    "Who taught you something about caring for people, and what was it?": "¿Quién te enseñó algo sobre cuidar de los demás, y qué fue?",
    "What's a hard stretch you're grateful to have come through?": "¿Qué etapa difícil agradeces haber dejado atrás?",
    "What's something about yourself you've grown to appreciate?": "¿Qué cosa de ti has aprendido a apreciar con el tiempo?",
    "What's a moment when you felt really understood by me?": "¿En qué momento sentiste que te entendía de verdad?",
    "What's a family tradition you'd like to keep, or gently leave behind?": "¿Qué tradición familiar te gustaría conservar, o dejar atrás con cariño?",
    "What's a turning point from the last few years that you still think about?": "¿Qué punto de inflexión de estos últimos años todavía te ronda la cabeza?",
    "What's a memory of us that feels like home?": "¿Qué recuerdo nuestro se siente como estar en casa?",
    "When did you first feel at ease being yourself around me?": "¿Cuándo sentiste por primera vez que podías ser tú mismo o tú misma conmigo?",
    "What's been taking up most of your energy lately?": "¿A qué se te ha ido la mayor parte de la energía últimamente?",
    "What part of your week feels heaviest right now?": "¿Qué parte de tu semana se te hace más pesada ahora mismo?",
    "What's something from your week you'd like me to know about?": "¿Qué hay de tu semana que te gustaría que yo supiera?",
    "What's one thing that would make our evenings feel better lately?": "¿Qué haría que nuestras tardes se sintieran mejor estos días?",
    "What's a change to your routine you've been turning over?": "¿Qué cambio en tu rutina le has estado dando vueltas?",
    "What's something playful we used to do that you'd like to bring back?": "¿Qué cosa divertida hacíamos antes que te gustaría recuperar?",
    "What side of you comes out when you're having fun?": "¿Qué lado tuyo sale cuando te lo estás pasando bien?",
    "What would a day of saying yes to small adventures look like for us?": "¿Cómo sería para nosotros un día de decir que sí a pequeñas aventuras?",
    "What makes you laugh the hardest, and when did that last happen?": "¿Qué te hace reír a carcajadas, y cuándo fue la última vez?",
    "Where do you hope we'll be in five years, in a sentence?": "En una frase: ¿dónde te gustaría que estuviéramos dentro de cinco años?",
    "What's a dream you set aside that you might pick back up?": "¿Qué sueño dejaste a un lado y quizá quieras retomar?",
    "What kind of home do you picture for us later on?": "¿Qué tipo de hogar te imaginas para nosotros más adelante?",
    "What's something you'd like us to learn or build together?": "¿Qué te gustaría que aprendiéramos o construyéramos juntos?",
    "What does a good, ordinary life look like to you?": "¿Cómo es para ti una vida buena y normal?",
    "What helps you feel supported when you're stressed?": "Cuando tienes estrés, ¿qué te ayuda a sentirte acompañado o acompañada?",
    "How could I tell when you'd like company and when you'd like quiet?": "¿Cómo puedo saber cuándo te apetece compañía y cuándo calma?",
    "What's a way of showing care that would land well with you right now?": "¿Qué forma de mostrarte cariño te llegaría bien ahora mismo?",
    "What kind of reassurance feels good to you, and what feels like too much?": "¿Qué palabras para tranquilizarte te sientan bien, y cuáles te resultan demasiado?",
    "When you're overwhelmed, what helps most: company, quiet, or something else?": "Cuando te sientes desbordado o desbordada, ¿qué te ayuda más: compañía, calma u otra cosa?",
    "After a disagreement, what helps you feel ready to talk again?": "Después de un desacuerdo, ¿qué te ayuda a sentirte con ganas de volver a hablar?",
    "What helps you listen when we see things differently?": "¿Qué te ayuda a escuchar cuando vemos las cosas de forma distinta?",
    "What small word or signal could either of us use to ask for a pause?": "¿Qué palabra o señal pequeña podríamos usar cualquiera de los dos para pedir una pausa?",
    "What's one thing we handle better now than we used to?": "¿Qué llevamos mejor ahora que antes?",
    "What helps you let go of a small hurt?": "¿Qué te ayuda a soltar una pequeña herida?",
    "What's a way you've seen me grow since we met?": "¿En qué me has visto crecer desde que nos conocimos?",
    "What's something I do that makes you feel looked after?": "¿Qué hago yo que te hace sentir cuidado o cuidada?",
    "What's a strength of ours as a couple you'd like to lean on more?": "¿Qué fortaleza nuestra como pareja te gustaría aprovechar más?",
    "What's something one of us does for us that might go unnoticed?": "¿Qué hace uno de los dos por nosotros que quizá pasa desapercibido?",
    "What would a good amount of space look like for you this week?": "¿Cómo sería para ti esta semana una buena cantidad de espacio?",
    "How would you like to let me know you'd like some time to yourself?": "¿Cómo te gustaría avisarme de que te apetece un rato para ti?",
    "What helps time apart feel restful rather than lonely?": "¿Qué hace que el tiempo separados sea un descanso y no una soledad?",
    "How could we give each other room without either of us worrying?": "¿Cómo podríamos darnos espacio sin que ninguno de los dos se preocupe?",
    "What helps you come back feeling connected after time on your own?": "¿Qué te ayuda a volver con sensación de conexión después de un rato a solas?",
    "What's a moment recently when you felt close to me?": "¿En qué momento reciente te sentiste cerca de mí?",
    "What helps you feel connected when we're both busy?": "¿Qué te ayuda a sentirte en conexión cuando los dos estamos ocupados?",
    "What small ritual could we start to check in with each other?": "¿Qué pequeño ritual podríamos empezar para saber cómo está el otro?",
    "What kind of touch or gesture feels most comforting to you?": "¿Qué tipo de contacto o de gesto te reconforta más?",
    "When do you feel most like a team?": "¿Cuándo sientes más que somos un equipo?",
    # --- deep
    "If you'd like, share something you've come to value about us that surprised you.": "Si te apetece, comparte algo que has llegado a valorar de nosotros y que te sorprendió.",
    "If it feels right, what's a time I was there for you that still means a lot?": "Si te parece bien, ¿qué vez en la que estuve a tu lado todavía significa mucho para ti?",
    "If you'd like to, tell me about a time you felt safe with someone, and what made it so.": "Si te apetece, cuéntame alguna vez que te sentiste a salvo con alguien, y qué lo hizo posible.",
    "If it feels okay, share something from growing up that still shapes how you handle closeness.": "Si te sientes bien haciéndolo, comparte algo de tu infancia que todavía influye en cómo vives la cercanía.",
    "Only if you want to: which memory of us do you come back to when things feel hard?": "Solo si quieres: ¿a qué recuerdo nuestro vuelves cuando las cosas se ponen difíciles?",
    "If you'd like, what's something you've been carrying lately that you'd be glad to set down a little?": "Si te apetece, ¿qué has estado cargando últimamente que te gustaría soltar un poco?",
    "If you feel like it, what part of yourself would you like to feel freer to show with me?": "Si te apetece, ¿qué parte de ti te gustaría sentirte con más libertad de mostrarme?",
    "If you'd like, share a hope for us that you haven't put into words yet.": "Si te apetece, comparte una esperanza para nosotros que todavía no hayas puesto en palabras.",
    "If it feels right, how would you like being together to feel a year from now?": "Si te parece bien, ¿cómo te gustaría que se sintiera estar juntos dentro de un año?",
    "If you'd like: when you picture us older, what's one thing you hope stays the same?": "Si te apetece: cuando nos imaginas de mayores, ¿qué esperas que siga igual?",
    "If you'd like, share something you need more of that feels hard to ask for.": "Si te apetece, comparte algo que necesitas más y que te cuesta pedir.",
    "If it feels okay, is there a need you used to keep quiet about that you'd like me to know?": "Si te sientes bien haciéndolo, ¿hay alguna necesidad que solías callar y que te gustaría que yo conociera?",
    "If you'd like, what helps you feel truly safe with me?": "Si te apetece, ¿qué te ayuda a sentirte de verdad a salvo conmigo?",
    "If it feels right: is there something from our past you'd like to talk through someday? A yes or no is plenty.": "Si te parece bien: ¿hay algo de nuestro pasado de lo que te gustaría hablar algún día? Con un sí o un no es suficiente.",
    "If you'd like, is there something you'd say differently now about a past disagreement?": "Si te apetece, ¿hay algo que ahora dirías de otra manera sobre un desacuerdo pasado?",
    "If you'd like, what helps you trust that we'll be okay after a hard conversation?": "Si te apetece, ¿qué te ayuda a confiar en que estaremos bien después de una conversación difícil?",
    "If you'd like, tell me about a time you felt proud of how we handled something together.": "Si te apetece, cuéntame alguna vez que te sentiste orgulloso u orgullosa de cómo llevamos algo juntos.",
    "If it feels right, what's something about me you love but rarely say out loud?": "Si te parece bien, ¿qué te encanta de mí pero casi nunca dices en voz alta?",
    "If you'd like, share what wanting space feels like from the inside for you.": "Si te apetece, comparte cómo se siente por dentro, para ti, necesitar espacio.",
    "If it feels okay, what would help you trust that time apart doesn't change how we feel?": "Si te sientes bien haciéndolo, ¿qué te ayudaría a confiar en que el tiempo separados no cambia lo que sentimos?",
    "If you'd like, how do you hope I'll understand it when you step back for a while?": "Si te apetece, ¿cómo te gustaría que lo entendiera cuando te tomas un tiempo para ti?",
    "If you'd like, what does it feel like for you when closeness is going well?": "Si te apetece, ¿cómo se siente para ti la cercanía cuando va bien?",
    "If it feels right, what makes it easier for you to let me in?": "Si te parece bien, ¿qué te hace más fácil dejarme entrar?",
    "If you'd like, share a time you wanted to reach out but weren't sure how, and what might have helped.": "Si te apetece, comparte alguna vez que quisiste acercarte pero no sabías cómo, y qué te habría ayudado.",
    "If you want to, what helps you feel both free and close at the same time?": "Si quieres, ¿qué te ayuda a sentirte libre y cerca al mismo tiempo?",
}


def _seeded():
    return importlib.import_module("checkins.migrations.0002_seed_prompts").seeded()


def translate(apps, schema_editor):
    Prompt = apps.get_model("checkins", "Prompt")
    for pk, _depth, _theme, text in _seeded():
        spanish = SPANISH.get(text)
        prompt = Prompt.objects.filter(pk=pk, text=text).first()
        if spanish is None or prompt is None or (prompt.translations or {}).get("es"):
            continue
        prompt.translations = {**(prompt.translations or {}), "es": spanish}
        prompt.save(update_fields=["translations"])


def untranslate(apps, schema_editor):
    Prompt = apps.get_model("checkins", "Prompt")
    for pk, _depth, _theme, text in _seeded():
        prompt = Prompt.objects.filter(pk=pk).first()
        if prompt is None or (prompt.translations or {}).get("es") != SPANISH.get(text):
            continue
        prompt.translations = {k: v for k, v in prompt.translations.items() if k != "es"}
        prompt.save(update_fields=["translations"])


class Migration(migrations.Migration):

    dependencies = [
        ("checkins", "0005_prompt_translations"),
    ]

    operations = [
        migrations.RunPython(translate, untranslate),
    ]
