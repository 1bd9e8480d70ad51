"""The fifteen lessons in Spanish (issue 19): one `es` LessonText on each lesson's current
version, in Haven's own Spanish (docs/spanish-style.md: tú, neutral, warm, not word for word).
English stays the fallback. A version that already has Spanish words (a coach wrote them in
the admin) is left as it is."""

from django.db import migrations

SPANISH = {
    "see-the-pattern": {
        "title": "Ver el patrón, no a un culpable",
        "body": (
            "Muchas parejas caen en un círculo sin darse cuenta. Uno busca más al otro cuando "
            "las cosas se sienten inciertas; el otro se aparta un poco para respirar. Cada "
            "gesto tiene sentido por sí solo, y cada uno empuja al otro a hacer más de lo "
            "suyo. Aquí nadie está roto. Lo que merece la pena mirar es el círculo, y es de "
            "los dos. Cuando los dos pueden ponerle nombre juntos, en un momento de calma, pierde "
            "parte de su fuerza: «ya estamos otra vez en nuestro círculo» es una frase mucho "
            "más amable que «siempre haces lo mismo»."
        ),
        "for_space": (
            "Si eres quien se aparta, fíjate en el momento en que empiezas a alejarte y en lo "
            "que sentías justo antes."
        ),
        "for_closeness": (
            "Si eres quien busca al otro, fíjate en el momento en que las ganas de buscarle se "
            "hacen más fuertes y en lo que sentías justo antes."
        ),
        "try_today": (
            "Mira el puente de hoy y los dos indicadores. Describe tu propio lado del círculo "
            "en una frase, para ti, sin decir nada de tu pareja."
        ),
        "reflection_question": (
            "¿Qué suele pasar dentro de ti justo antes de que empiece el círculo?"
        ),
    },
    "make-it-safe": {
        "title": "Que sea seguro hablar con sinceridad",
        "body": (
            "Las personas se abren donde se sienten a salvo para decir lo incómodo. Esa "
            "seguridad se construye con cosas pequeñas: escuchar hasta el final antes de "
            "responder, dar las gracias a quien te cuenta algo difícil, dejar lo que te dijo "
            "fuera de la próxima discusión. También se construye con lo que no haces: sin "
            "suspiros, sin llevar la cuenta, sin sacar historias viejas como prueba. Cuando la "
            "sinceridad recibe calma, la próxima vez es más fácil volver a hablar con "
            "sinceridad, para los dos."
        ),
        "for_space": (
            "Si necesitas espacio, decirlo con claridad también es parte de esa seguridad: un "
            "«necesito una hora, y luego vuelvo» se escucha mejor que el silencio."
        ),
        "for_closeness": (
            "Si te apetece cercanía, una respuesta cálida a un pequeño momento sincero hará "
            "más que una larga charla sobre por qué no pasa más a menudo."
        ),
        "try_today": (
            "Cuando hoy tu pareja te cuente algo, grande o pequeño, responde primero con un "
            "gracias o un simple «te escucho», antes que nada."
        ),
        "reflection_question": (
            "¿Cuándo fue la última vez que te sentiste a salvo para contarle a alguien algo "
            "difícil? ¿Qué te ayudó?"
        ),
    },
    "space-and-connection": {
        "title": "Un espacio que no rompe el vínculo",
        "body": (
            "El espacio y la cercanía no son opuestos. El tiempo a solas puede ser una forma "
            "de cuidar la relación: quien descansa vuelve con más para dar. Lo que convierte "
            "el espacio en preocupación es no saber qué significa ni cuándo termina. Unas "
            "palabras antes, una señal de vida durante y una vuelta tranquila después "
            "mantienen el hilo entre los dos, incluso cuando están separados. Para eso existe "
            "«tomarse un espacio» en Haven: dice en voz alta lo que el silencio dejaría a las "
            "suposiciones."
        ),
        "for_space": (
            "Si necesitas espacio, di más o menos cuánto tiempo y que vas a volver; una hora "
            "que nombras es una promesa en la que tu pareja puede apoyarse."
        ),
        "for_closeness": (
            "Si te apetece cercanía, prueba a ver el espacio de tu pareja como descanso, no "
            "como un veredicto, y planea algo agradable para ti durante ese tiempo."
        ),
        "try_today": (
            "La próxima vez que necesites tiempo a solas, empiézalo en Haven con una hora de "
            "vuelta y unas palabras para tranquilizar, aunque sea solo por una tarde."
        ),
        "reflection_question": "¿Qué te ayuda a sentir el vínculo cuando estás lejos de tu pareja?",
    },
    "not-about-you": {
        "title": "Cuando la distancia no tiene que ver contigo",
        "body": (
            "Cuando tu pareja se queda en silencio, la mente llena el hueco muy rápido, y casi "
            "nunca con historias amables: «está molesto conmigo», «hice algo mal». La mayoría "
            "de las veces el motivo es mucho más sencillo: cansancio, un mal día, la "
            "necesidad de calmarse antes de hablar. Dar un paso atrás suele ser la forma en "
            "que alguien se cuida, no un mensaje dirigido a ti. Puedes tomar sus palabras tal "
            "como son, dejar pasar esas historias y cuidarte mientras esperas."
        ),
        "for_space": (
            "Si eres quien se toma un espacio, unas palabras sobre el porqué, aunque sea «es "
            "una semana larga, no es por nosotros», le ahorran a tu pareja muchas suposiciones."
        ),
        "for_closeness": (
            "Si eres quien espera, fíjate en la historia que te cuenta tu mente y pregúntate "
            "si sabes que es verdad o solo lo temes."
        ),
        "try_today": (
            "Escribe la preocupación que te aparece y, al lado, otra explicación más amable "
            "que sea igual de probable. Haz algo que disfrutes, solo para ti."
        ),
        "reflection_question": (
            "¿Qué historia te cuenta tu mente cuando alguien se queda en silencio?"
        ),
    },
    "calm-first": {
        "title": "Primero la calma, luego la conversación",
        "body": (
            "Una conversación difícil sale mejor cuando los dos cuerpos están tranquilos. "
            "Cuando el corazón se acelera, las palabras salen más duras de lo que quieres, y "
            "la otra persona oye la alarma más que el mensaje. Hacer una pausa no es evitar: "
            "es prepararse. Respirar despacio, dar un paseo corto, tomar un vaso de agua o "
            "simplemente esperar una hora puede cambiar cómo llega la misma frase. Por eso "
            "Haven te pregunta cuánta calma sientes antes de un «¿podemos hablar?» y te deja "
            "guardarlo un rato."
        ),
        "for_space": (
            "Si necesitas tiempo antes de hablar, di cuándo vas a estar listo o lista en lugar "
            "de solo «ahora no»: una hora que eliges deja la puerta abierta."
        ),
        "for_closeness": (
            "Si quieres hablar ya, esperar a estar en calma es un regalo para la conversación, "
            "no una pérdida."
        ),
        "try_today": (
            "Antes de tu próximo mensaje importante, respira despacio cinco veces y puntúa tu "
            "calma del 1 al 5. Si es menos de 3, espera un poco y vuelve a puntuarla."
        ),
        "reflection_question": "¿Qué te ayuda a volver a la calma cuando algo te remueve?",
    },
    "i-not-you": {
        "title": "Decir «yo» en lugar de «tú siempre»",
        "body": (
            "«Nunca me escuchas» invita a defenderse. «Me sentí solo en la cena y me gustaría "
            "que lo habláramos» invita a responder. Las frases que empiezan por lo que sientes "
            "y lo que te gustaría se escuchan mejor, porque hablan de ti en lugar de juzgar a "
            "la otra persona. Palabras como «siempre» y «nunca» casi nunca se ajustan a los "
            "hechos y convierten una tarde en un veredicto sobre cómo es alguien. Ayuda una "
            "forma sencilla: Me siento… cuando… y me gustaría…"
        ),
        "for_space": (
            "Si necesitas espacio, «necesito un poco de tranquilidad para recargar» dice lo "
            "mismo que «me agobias», sin herir."
        ),
        "for_closeness": (
            "Si te apetece cercanía, «te extraño y me encantaría pasar una tarde juntos» tiene "
            "más posibilidades de conseguirla que «nunca estás»."
        ),
        "try_today": (
            "Elige algo que te molestó esta semana y escríbelo con la forma «Me siento… "
            "cuando… Me gustaría…». Guárdalo; enviarlo o no es decisión tuya."
        ),
        "reflection_question": (
            "¿Qué es lo que más quieres que tu pareja entienda de cómo te sientes?"
        ),
    },
    "go-slowly": {
        "title": "Ir despacio a propósito",
        "body": (
            "La cercanía crece a pasos pequeños. Una pregunta ligera respondida hoy puede hacer "
            "posible una más profunda el mes que viene; forzar la profunda hoy puede cerrar la "
            "puerta a las dos. Ir despacio no es conformarse con menos: es dejar que la "
            "confianza alcance a la esperanza. Por eso las preguntas de Haven empiezan "
            "ligeras y solo van más hondo cuando los dos lo piden, y por eso saltarse un día "
            "siempre está bien. Despacio no es lo mismo que estancado: una relación que se "
            "mueve un poco cada mes se está moviendo."
        ),
        "for_space": (
            "Si necesitas espacio, puedes marcar el ritmo, y decir cuándo un paso te parece "
            "bien, no solo cuándo no."
        ),
        "for_closeness": (
            "Si te apetece cercanía, fíjate en los pasos pequeños que da tu pareja y déjalos "
            "contar, aunque esperabas uno más grande."
        ),
        "try_today": (
            "Responde la pregunta ligera de hoy, o simplemente haz el check-in, y deja las "
            "preguntas más hondas para otro día."
        ),
        "reflection_question": (
            "¿Qué paso pequeño para acercarse el uno al otro te resultaría cómodo esta semana?"
        ),
    },
    "encourage-gently": {
        "title": "Animar sin presionar",
        "body": (
            "Hay una diferencia entre «me encanta cuando me cuentas tu día» y «¿por qué nunca "
            "me cuentas tu día?». La primera hace más probable la próxima vez; la segunda la "
            "convierte en un examen. Las personas se abren donde se sienten bienvenidas, no "
            "donde se sienten observadas. Animar señala lo que ya pasó y dice que estuvo bien; "
            "presionar señala lo que falta. También ayuda que el ánimo sea ligero: una sonrisa "
            "y unas palabras, y a otra cosa, para que nunca parezca una lección."
        ),
        "for_space": (
            "Si necesitas espacio, tú también puedes animar: contarle a tu pareja qué te ayuda "
            "a abrirte le da algo que hacer en lugar de algo que temer."
        ),
        "for_closeness": (
            "Si te apetece cercanía, agradece la apertura que recibes y deja que se sostenga "
            "sola, sin pedir más."
        ),
        "try_today": (
            "Envía unas palabras de aprecio por un pequeño momento de apertura que hayas "
            "notado hace poco, sin ninguna petición añadida."
        ),
        "reflection_question": (
            "¿Qué hace que sientas que compartir es bienvenido, y no algo que se espera de ti?"
        ),
    },
    "outside-help": {
        "title": "Buscar ayuda de fuera",
        "body": (
            "Algunos nudos son difíciles de deshacer desde dentro. Un terapeuta o un coach ve "
            "el patrón sin formar parte de él, y puede ayudar a que los dos digan cosas que no "
            "han logrado decir a solas. Pedir ayuda no es señal de que la relación esté "
            "fracasando; es señal de que los dos creen que merece cuidado. En Haven, un coach "
            "solo ve lo que los dos comparten, y solo cuando los dos están de acuerdo."
        ),
        "for_space": (
            "Si necesitas espacio, un coach puede ofrecer un lugar más tranquilo para los "
            "temas difíciles, con un principio y un final claros."
        ),
        "for_closeness": (
            "Si te apetece cercanía, proponer ayuda como algo para los dos, no como un arreglo "
            "para uno, hace más fácil decir que sí."
        ),
        "try_today": (
            "Mira qué significaría invitar a un coach en Haven y pregúntate si quizá este sea "
            "un buen momento. No pasa nada a menos que los dos estén de acuerdo."
        ),
        "reflection_question": "¿Qué esperarías sacar de unas pocas sesiones con alguien de fuera?",
    },
    "accept-differences": {
        "title": "Necesidades distintas, las dos válidas",
        "body": (
            "Es raro que dos personas quieran la misma cercanía el mismo día. Esa diferencia "
            "es normal, y no significa que una quiera demasiado o demasiado poco. Cuando dejas "
            "de intentar convencer al otro de tu manera, puedes empezar a buscar formas de que "
            "quepan las dos: tiempo uno al lado del otro, tiempo separados, un pequeño gesto "
            "que no pide nada a cambio. El puente que Haven ofrece los días en que sus "
            "indicadores no coinciden nace de esa idea. Aceptar una diferencia no es "
            "rendirse; es dejar de tratarla como un problema que hay que resolver antes del "
            "viernes."
        ),
        "for_space": (
            "Si necesitas más espacio que tu pareja, tu necesidad es real, y la suya también; "
            "las dos se pueden atender un poco."
        ),
        "for_closeness": (
            "Si quieres más cercanía que tu pareja, tu necesidad es real, y la suya también; "
            "las dos se pueden atender un poco."
        ),
        "try_today": (
            "Prueba hoy la idea del puente, aunque sea un momento, y fíjate en cómo se siente "
            "encontrarse a mitad de camino."
        ),
        "reflection_question": (
            "¿Qué diferencia entre tu pareja y tú te gustaría aceptar en lugar de arreglar?"
        ),
    },
    "clear-boundaries": {
        "title": "Límites que los protegen a los dos",
        "body": (
            "Un límite no es un muro; es información: «esto es lo que necesito para estar "
            "bien». Dicho con amabilidad y claridad, evita que los dos tengan que adivinar y "
            "acumular resentimiento. Los buenos límites hablan de lo que haces tú («si una "
            "conversación se convierte en gritos, me saldré y volveré en diez minutos»), no "
            "de reglas para la otra persona. También pueden cambiar: revisarlos es parte de "
            "que sigan siendo justos. Y un límite funciona mejor cuando va con su motivo y, "
            "si puedes, con lo que harás en su lugar."
        ),
        "for_space": (
            "Si necesitas espacio, un límite puede nombrarlo con tiempo, para que nunca llegue "
            "como una puerta que se cierra."
        ),
        "for_closeness": (
            "Si te apetece cercanía, un límite también puede protegerte a ti: lo que necesitas "
            "para que la espera no se convierta en preocupación."
        ),
        "try_today": (
            "Escribe una necesidad como límite en Haven. Si lo prefieres, al principio "
            "guárdala solo para ti; compartirla puede venir después."
        ),
        "reflection_question": (
            "¿Qué necesitas para estar bien que todavía no has dicho en voz alta?"
        ),
    },
    "meet-in-the-middle": {
        "title": "Encontrarse en el medio",
        "body": (
            "Un buen acuerdo no es que uno ceda. Nombra lo que necesita cada uno y busca un "
            "camino que cubra una parte justa de las dos cosas. Ir y venir es normal; así es "
            "como dos personas llegan a algo con lo que ambas pueden vivir. Ayuda decir en voz "
            "alta lo que crees que necesita la otra persona, y dejar que te corrija. Después, "
            "el acuerdo se prueba un tiempo y se vuelve a mirar juntos. Si no funciona, eso es "
            "información, no un fracaso: se cambia, y cada uno conoce un poco mejor al otro."
        ),
        "for_space": (
            "Si necesitas espacio, incluye en los términos tu necesidad de tiempo a solas, para "
            "que forme parte del acuerdo en lugar de ser una sorpresa."
        ),
        "for_closeness": (
            "Si te apetece cercanía, nombra un momento juntos, pequeño y regular, con el que "
            "puedas contar, en lugar de más de todo."
        ),
        "try_today": (
            "En un acuerdo que estés dando forma, escribe con tus palabras lo que necesita tu "
            "pareja y pregúntale si lo entendiste bien antes de volver a cambiar los términos."
        ),
        "reflection_question": (
            "¿Cómo sería un punto medio justo, visto desde el lado de tu pareja?"
        ),
    },
    "notice-progress": {
        "title": "Darse cuenta de los avances",
        "body": (
            "El cambio entre dos personas es lento y fácil de pasar por alto, sobre todo "
            "cuando esperas uno grande. Nombrar en voz alta los pasos pequeños hace más "
            "probable que se repitan: un acuerdo cumplido, una charla más tranquila, una "
            "respuesta que llegó antes que otras veces. El reconocimiento funciona mejor "
            "cuando es concreto y llega sin un «pero». No se trata de llevar la cuenta; se "
            "trata de que cada uno sepa que su esfuerzo se ve. También funciona contigo: fíjate "
            "en los momentos que llevaste mejor que antes, y date el mismo reconocimiento."
        ),
        "for_space": (
            "Si necesitas espacio, puedes notar la paciencia que tu pareja muestra mientras te "
            "lo tomas, y decírselo cuando vuelvas."
        ),
        "for_closeness": (
            "Si te apetece cercanía, puedes notar cuándo tu pareja se acercó o se quedó un poco "
            "más, y decirle que te importó."
        ),
        "try_today": (
            "Envía unas palabras de aprecio concretas sobre algo que tu pareja hizo distinto "
            "últimamente. Con una frase basta."
        ),
        "reflection_question": (
            "¿Qué paso adelante han dado los dos que nadie ha mencionado todavía?"
        ),
    },
    "say-it-straight": {
        "title": "Decirlo claro",
        "body": (
            "Cuando pedir algo directamente parece arriesgado, es tentador poner a prueba: "
            "quedarse en silencio para ver si el otro lo nota, provocar celos, llevar la "
            "cuenta. Estos gestos casi nunca consiguen lo que queremos, porque la otra persona "
            "no puede responder a una pregunta que nunca se le hizo. Decir con sencillez lo "
            "que necesitas te expone más, y tiene muchas más posibilidades de "
            "funcionar. El «¿podemos hablar?» de Haven y las palabras para tranquilizar a un "
            "toque existen para que el camino directo sea un poco más fácil. Una petición "
            "clara puede ser suave: puedes decirla con calma, en un buen momento, y aceptar "
            "que la respuesta sea «hoy no»."
        ),
        "for_space": (
            "Si necesitas espacio, decirlo directamente es más amable que ir desapareciendo y "
            "esperar a que el otro se dé cuenta."
        ),
        "for_closeness": (
            "Si te apetece cercanía, pedirla directamente es más amable que esperar a ver si "
            "tu pareja lo adivina."
        ),
        "try_today": (
            "Piensa en algo que llevas un tiempo insinuando. Escríbelo como una petición "
            "sencilla, en una frase, sin ninguna prueba escondida."
        ),
        "reflection_question": "¿Hay algo que esperas que tu pareja adivine?",
    },
    "their-language": {
        "title": "Amor en su idioma",
        "body": (
            "Solemos mostrar el amor como nos gusta recibirlo, y luego nos preguntamos por qué "
            "no llega. Una persona se siente cuidada con una ayuda discreta; otra, con "
            "palabras, con tiempo, con un pequeño regalo o con una caricia. Aprender qué le "
            "llega a tu pareja, y contarle qué te llega a ti, convierte las buenas intenciones "
            "en gestos que llegan. Haven guarda las listas de los dos para que las ideas que "
            "ofrece encajen con quien las recibe. Las listas cambian con el tiempo y el ánimo, "
            "así que vale la pena volver a preguntar de vez en cuando qué es lo que más llega "
            "ahora."
        ),
        "for_space": (
            "Si necesitas espacio, los gestos que no piden respuesta, como una nota o un favor, "
            "pueden decir mucho mientras mantienes tu calma."
        ),
        "for_closeness": (
            "Si te apetece cercanía, prueba un gesto en el lenguaje del amor de tu pareja y no "
            "en el tuyo, aunque te resulte menos natural."
        ),
        "try_today": (
            "Mira los lenguajes del amor que tu pareja ha compartido, o completa los tuyos, y "
            "haz hoy una cosa pequeña en el suyo."
        ),
        "reflection_question": (
            "¿Qué te hace sentir más cuidado o cuidada? ¿Alguna vez lo has dicho?"
        ),
    },
}


def lessons_in_spanish(apps, schema_editor):
    Lesson = apps.get_model("learn", "Lesson")
    LessonText = apps.get_model("learn", "LessonText")
    for lesson in Lesson.objects.filter(slug__in=SPANISH, current_version__isnull=False):
        LessonText.objects.get_or_create(
            version_id=lesson.current_version_id, language="es", defaults=SPANISH[lesson.slug]
        )


class Migration(migrations.Migration):
    dependencies = [("learn", "0003_coaches_curate_lessons")]

    operations = [migrations.RunPython(lessons_in_spanish, migrations.RunPython.noop)]
