"""The fifteen lessons, one per strategy of the guide Haven grew from, in Haven's own words
(English; other languages arrive as more LessonText rows). Coaches edit them in the admin,
which writes new versions: this migration only plants version 1."""

from django.db import migrations

LESSONS = [
    {
        "slug": "see-the-pattern",
        "position": 1,
        "feature": "bridge",
        "title": "Seeing the pattern, not a culprit",
        "body": (
            "Many couples fall into a loop without noticing it. One of you reaches out more "
            "when things feel uncertain; the other steps back a little to breathe. Each move "
            "makes sense on its own, and each one nudges the other to do more of theirs. "
            "Nobody is broken here. The loop is the thing to look at, and it belongs to both "
            "of you. Once you can name it together, in a calm moment, it loses some of its "
            "grip: \"we're doing our loop again\" is a far kinder sentence than \"you always "
            "do this\"."
        ),
        "for_space": (
            "If you are the one who steps back, notice the moment you start to pull away and "
            "what you were feeling just before."
        ),
        "for_closeness": (
            "If you are the one who reaches out, notice the moment the urge to reach out gets "
            "stronger and what you were feeling just before."
        ),
        "try_today": (
            "Look at today's bridge and your two dials. Describe your own side of the loop to "
            "yourself in one sentence, without a word about your partner."
        ),
        "reflection_question": "What usually happens in you just before the loop starts?",
    },
    {
        "slug": "make-it-safe",
        "position": 2,
        "feature": "reassurances",
        "title": "Making it safe to be honest",
        "body": (
            "People open up where it feels safe to say the awkward thing. Safety is built in "
            "small ways: listening to the end before answering, thanking someone for telling "
            "you something hard, keeping what they said out of the next argument. It is also "
            "built by what you don't do: no sighing, no scorekeeping, no bringing up old "
            "history as proof. When honesty is met with calm, it becomes easier to be honest "
            "again next time, for both of you."
        ),
        "for_space": (
            "If you need space, saying so plainly is part of safety too: a clear \"I need an "
            "hour, and I'll come back\" is easier to hear than silence."
        ),
        "for_closeness": (
            "If you want closeness, a warm answer to a small honest moment will do more than a "
            "long talk about why it doesn't happen more often."
        ),
        "try_today": (
            "When your partner tells you something today, big or small, answer first with "
            "thanks or a simple \"I hear you\" before anything else."
        ),
        "reflection_question": "When did you last feel safe telling someone something hard? What helped?",
    },
    {
        "slug": "space-and-connection",
        "position": 3,
        "feature": "space",
        "title": "Space that stays connected",
        "body": (
            "Space and closeness are not opposites. Time alone can be a way of looking after "
            "the relationship: a person who gets to rest comes back with more to give. What "
            "turns space into worry is not knowing what it means or when it ends. A short "
            "word before, a sign of life during, and a gentle return afterwards keep the "
            "thread between you, even while you are apart. That is what Haven's \"taking "
            "space\" is for: it says out loud what silence would leave to guesswork."
        ),
        "for_space": (
            "If you need space, say roughly how long and that you will be back; a time you "
            "name is a promise your partner can lean on."
        ),
        "for_closeness": (
            "If you want closeness, try treating your partner's space as rest, not as a "
            "verdict, and plan something pleasant of your own for that time."
        ),
        "try_today": (
            "Next time you need time alone, start it in Haven with an end time and a line of "
            "reassurance, even if it is only for an evening."
        ),
        "reflection_question": "What helps you feel connected while you are apart?",
    },
    {
        "slug": "not-about-you",
        "position": 4,
        "feature": "space",
        "title": "When distance is not about you",
        "body": (
            "When a partner goes quiet, the mind fills the gap fast, and rarely with kind "
            "stories: \"they're upset with me\", \"I did something wrong\". Most of the time "
            "the reason is much plainer: tiredness, a hard day, a need to settle before "
            "talking. A step back is usually how someone looks after themselves, not a "
            "message aimed at you. You can take their words at face value, let the stories "
            "pass, and look after yourself while you wait."
        ),
        "for_space": (
            "If you are the one taking space, a few words about why, even \"it's a long week, "
            "not us\", spare your partner a lot of guessing."
        ),
        "for_closeness": (
            "If you are the one waiting, notice the story your mind tells and ask whether "
            "you know it to be true, or only fear it."
        ),
        "try_today": (
            "Write down the worry that comes up, then one kinder explanation that is just as "
            "likely. Do something for yourself you enjoy."
        ),
        "reflection_question": "What story does your mind tell you when someone goes quiet?",
    },
    {
        "slug": "calm-first",
        "position": 5,
        "feature": "conversation_request",
        "title": "Calm first, then talk",
        "body": (
            "A hard conversation goes better when both bodies are calm. When your heart is "
            "racing, the words come out sharper than you mean them, and the other person "
            "hears the alarm more than the message. A pause is not avoidance: it is getting "
            "ready. Slow breathing, a short walk, a glass of water or simply waiting an hour "
            "can change how the same sentence lands. That is why Haven asks how calm you feel "
            "before a \"can we talk?\" and lets you hold it for a little while."
        ),
        "for_space": (
            "If you need time before a talk, say when you'll be ready instead of just \"not "
            "now\": a time you choose keeps the door open."
        ),
        "for_closeness": (
            "If you want to talk now, waiting until you are calm is a gift to the conversation, "
            "not a loss of it."
        ),
        "try_today": (
            "Before your next important message, take five slow breaths and rate your calm "
            "from 1 to 5. Under 3, wait a little and rate it again."
        ),
        "reflection_question": "What helps you come back to calm when you feel stirred up?",
    },
    {
        "slug": "i-not-you",
        "position": 6,
        "feature": "tone_check",
        "title": "Saying \"I\" instead of \"you always\"",
        "body": (
            "\"You never listen\" invites a defence. \"I felt alone at dinner and I'd like us to "
            "talk about it\" invites an answer. Sentences that start with what you feel and "
            "what you would like are easier to hear, because they describe you instead of "
            "judging the other person. Words like \"always\" and \"never\" almost never fit "
            "the facts and turn one evening into a verdict on someone's character. A simple "
            "shape helps: I feel... when... and I would like..."
        ),
        "for_space": (
            "If you need space, \"I need some quiet to recharge\" says the same as \"you're "
            "too much\", without the sting."
        ),
        "for_closeness": (
            "If you want closeness, \"I miss you and I'd love an evening together\" is more "
            "likely to get one than \"you're never around\"."
        ),
        "try_today": (
            "Take one thing that bothered you this week and write it in the shape \"I feel... "
            "when... I would like...\". Keep it; sending it is up to you."
        ),
        "reflection_question": "What do you most want your partner to understand about how you feel?",
    },
    {
        "slug": "go-slowly",
        "position": 7,
        "feature": "checkins",
        "title": "Going slowly on purpose",
        "body": (
            "Closeness grows in small steps. A light question answered today can make a "
            "deeper one possible next month; pushing for the deep one today can close the "
            "door on both. Going slowly is not settling for less: it is letting trust catch "
            "up with hope. That is why Haven's prompts start light and only go deeper when "
            "both of you ask for it, and why skipping a day is always fine. Slow is not the same as "
            "stuck: a relationship that moves a little every month is moving."
        ),
        "for_space": (
            "If you need space, you are allowed to set the pace, and to say when a step feels "
            "right rather than only when it doesn't."
        ),
        "for_closeness": (
            "If you want closeness, notice small steps your partner takes and let them count, "
            "even when you hoped for a bigger one."
        ),
        "try_today": (
            "Answer today's light prompt, or simply check in, and leave the deeper questions "
            "for another day."
        ),
        "reflection_question": "What small step towards each other would feel comfortable this week?",
    },
    {
        "slug": "encourage-gently",
        "position": 8,
        "feature": "appreciations",
        "title": "Encouragement without pressure",
        "body": (
            "There is a difference between \"I love it when you tell me about your day\" and "
            "\"why don't you ever tell me about your day?\". The first makes the next time "
            "more likely; the second makes it feel like a test. People open up where they "
            "feel welcome, not where they feel watched. Encouragement points at what already "
            "happened and says it was good; pressure points at what is missing. It also helps to "
            "keep encouragement light: a smile and a few words, then move on, so it never "
            "feels like a lesson."
        ),
        "for_space": (
            "If you need space, you can encourage too: telling your partner what helps you "
            "open up gives them something to do instead of something to fear."
        ),
        "for_closeness": (
            "If you want closeness, say thanks for the openness you get, and let it stand on "
            "its own without asking for more."
        ),
        "try_today": (
            "Send an appreciation for one small moment of openness you noticed recently, with "
            "no request attached."
        ),
        "reflection_question": "What makes you feel welcome to share, rather than expected to?",
    },
    {
        "slug": "outside-help",
        "position": 9,
        "feature": "coach_grants",
        "title": "Getting help from outside",
        "body": (
            "Some knots are hard to untie from the inside. A counsellor or coach sees the "
            "pattern without being part of it, and can help both of you say things you have "
            "not managed to say alone. Asking for help is not a sign that the relationship is "
            "failing; it is a sign that you both think it is worth care. In Haven a coach "
            "sees only what you both share, and only when you both agree."
        ),
        "for_space": (
            "If you need space, a coach can be a calmer setting for hard topics, with a clear "
            "start and end."
        ),
        "for_closeness": (
            "If you want closeness, suggesting help as something for both of you, not a fix "
            "for one, makes it easier to say yes to."
        ),
        "try_today": (
            "Look at what inviting a coach would mean in Haven, and ask yourself whether now "
            "might be a good time. Nothing happens unless you both agree."
        ),
        "reflection_question": "What would you hope to get from a few sessions with someone outside?",
    },
    {
        "slug": "accept-differences",
        "position": 10,
        "feature": "bridge",
        "title": "Different needs, both valid",
        "body": (
            "Two people rarely want the same amount of closeness on the same day. That gap is "
            "normal, and it does not mean one of you wants too much or too little. When you "
            "stop trying to win the other over to your setting, you can start looking for "
            "ways to fit both: time side by side, time apart, a small gesture that asks for "
            "nothing back. The bridge Haven offers on days your dials differ is built on that "
            "idea. Accepting a difference does not mean giving up on it; it means no longer "
            "treating it as a problem to solve by Friday."
        ),
        "for_space": (
            "If you need more space than your partner, your need is real, and so is theirs; "
            "both can be met a little."
        ),
        "for_closeness": (
            "If you want more closeness than your partner, your need is real, and so is "
            "theirs; both can be met a little."
        ),
        "try_today": (
            "Try the bridge idea for today, even briefly, and notice how it feels to meet "
            "halfway."
        ),
        "reflection_question": "Which of your differences would you like to accept rather than fix?",
    },
    {
        "slug": "clear-boundaries",
        "position": 11,
        "feature": "boundaries",
        "title": "Boundaries that protect you both",
        "body": (
            "A boundary is not a wall; it is information: \"this is what I need to stay "
            "well\". Said kindly and clearly, it saves both people from guessing and "
            "resenting. Good boundaries are about your own behaviour (\"I'll step out of a "
            "conversation that turns to shouting and come back in ten minutes\") rather than "
            "rules for the other person. They can change, too: revisiting them is part of "
            "keeping them fair. And a boundary works best when it comes with its reason and, where "
            "you can, with what you will do instead."
        ),
        "for_space": (
            "If you need space, a boundary can name it ahead of time, so it never has to "
            "arrive as a door closing."
        ),
        "for_closeness": (
            "If you want closeness, a boundary can protect you as well: what you need so that "
            "waiting does not turn into worry."
        ),
        "try_today": (
            "Write one need as a boundary in Haven. Keep it private to begin with if you "
            "prefer; sharing can come later."
        ),
        "reflection_question": "What is one thing you need to feel well that you have not said out loud?",
    },
    {
        "slug": "meet-in-the-middle",
        "position": 12,
        "feature": "agreements",
        "title": "Meeting in the middle",
        "body": (
            "A good compromise is not one person giving in. It names what each of you needs "
            "and finds a way that covers a fair part of both. Going back and forth is normal; "
            "it is how two people get to something they can both live with. It helps to say "
            "out loud what you think the other person needs, and to let them correct you. "
            "Then try the agreement for a while and look at it again together. If it does not "
            "work, that is information, not failure: you change it, and you know each other a "
            "little better."
        ),
        "for_space": (
            "If you need space, put your need for time alone into the terms, so it is part of "
            "the deal instead of a surprise."
        ),
        "for_closeness": (
            "If you want closeness, name a small, regular moment together you can count on, "
            "rather than more of everything."
        ),
        "try_today": (
            "In an agreement you are shaping, write your partner's need in your own words and "
            "check it with them before changing the terms again."
        ),
        "reflection_question": "What would a fair middle look like, from your partner's side?",
    },
    {
        "slug": "notice-progress",
        "position": 13,
        "feature": "appreciations",
        "title": "Noticing progress",
        "body": (
            "Change between two people is slow and easy to miss, especially when you are "
            "waiting for a big one. Noticing the small steps out loud makes them more likely "
            "to happen again: a kept agreement, a calmer talk, a reply that came sooner than "
            "before. Praise works best when it is specific and comes without a \"but\". It "
            "is not about scoring; it is about letting each other know that effort is seen. It "
            "works on yourself as well: notice the moments you handled better than you used "
            "to, and give yourself the same credit."
        ),
        "for_space": (
            "If you need space, you can notice the patience your partner shows while you take "
            "it, and say so when you are back."
        ),
        "for_closeness": (
            "If you want closeness, you can notice when your partner reached out or stayed a "
            "little longer, and tell them it mattered."
        ),
        "try_today": (
            "Send one specific appreciation about something your partner did differently "
            "lately. One sentence is enough."
        ),
        "reflection_question": "What step forward have the two of you made that nobody has mentioned yet?",
    },
    {
        "slug": "say-it-straight",
        "position": 14,
        "feature": "conversation_request",
        "title": "Saying it straight",
        "body": (
            "When asking directly feels risky, it is tempting to test instead: going quiet to "
            "see if they notice, making someone jealous, keeping count. These moves rarely "
            "get what we want, because the other person cannot answer a question they were "
            "never asked. Saying plainly what you need is more vulnerable, and much more "
            "likely to work. Haven's \"can we talk?\" and one-tap reassurances exist to make "
            "the direct route a little easier. A plain request can still be gentle: you can say "
            "it softly, at a good moment, and accept that the answer may be \"not today\"."
        ),
        "for_space": (
            "If you need space, saying so directly is kinder than fading out and waiting to "
            "be noticed."
        ),
        "for_closeness": (
            "If you want closeness, asking for it directly is kinder than waiting to see if "
            "your partner guesses."
        ),
        "try_today": (
            "Think of one thing you have been hinting at. Write it as a plain request, one "
            "sentence, with no test inside."
        ),
        "reflection_question": "Is there something you have been hoping your partner would guess?",
    },
    {
        "slug": "their-language",
        "position": 15,
        "feature": "love_languages",
        "title": "Love in their language",
        "body": (
            "We tend to show love the way we like to receive it, and then wonder why it does "
            "not land. One person feels cared for through quiet help, another through words, "
            "time, a small gift or a touch. Learning what speaks to your partner, and telling "
            "them what speaks to you, turns good intentions into gestures that arrive. Haven "
            "keeps both of your lists so the ideas it offers fit the one who receives them. Lists "
            "change with time and mood, so it is worth asking again now and then what lands "
            "well these days."
        ),
        "for_space": (
            "If you need space, gestures that ask for no reply, like a note or a favour, can "
            "say a lot while you keep your quiet."
        ),
        "for_closeness": (
            "If you want closeness, try a gesture in your partner's language rather than "
            "yours, even when it feels less natural to you."
        ),
        "try_today": (
            "Check your partner's shared love languages, or fill in your own, and do one small "
            "thing in theirs today."
        ),
        "reflection_question": "What makes you feel most cared for, and have you ever said so?",
    },
]


def seed_lessons(apps, schema_editor):
    Lesson = apps.get_model("learn", "Lesson")
    LessonVersion = apps.get_model("learn", "LessonVersion")
    LessonText = apps.get_model("learn", "LessonText")
    text_fields = ("title", "body", "for_space", "for_closeness", "try_today", "reflection_question")
    for entry in LESSONS:
        if Lesson.objects.filter(slug=entry["slug"]).exists():
            continue
        lesson = Lesson.objects.create(
            slug=entry["slug"], position=entry["position"], feature=entry["feature"]
        )
        version = LessonVersion.objects.create(lesson=lesson, number=1)
        LessonText.objects.create(
            version=version, language="en", **{name: entry[name] for name in text_fields}
        )
        lesson.current_version = version
        lesson.save(update_fields=["current_version"])


class Migration(migrations.Migration):
    dependencies = [("learn", "0001_lessons")]

    operations = [migrations.RunPython(seed_lessons, migrations.RunPython.noop)]
