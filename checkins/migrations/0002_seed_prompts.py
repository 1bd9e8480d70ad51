"""The prompt library Haven starts with: Haven's own words, warm and unhurried, each
answerable in a sentence or two. Light and medium ones ask about ordinary life; deep ones
invite reflection and always leave room to decline. Coaches curate from here in the admin.

The texts are marked for translation (the API translates a prompt's text on the way out;
a prompt a coach writes later simply has no translation yet). Seeded rows get stable ids
derived from their text, so the reverse migration finds them even after a coach edits one.
"""

import uuid

from django.conf import settings
from django.db import migrations, models
from django.utils.translation import gettext_noop as _

SEED_NAMESPACE = uuid.UUID("6f1d3c2a-9b7e-4f5a-8c41-2d0e7b93a615")

LIGHT = [
    ("gratitude", _("What's one small thing today that went better than you expected?")),
    ("gratitude", _("Name a little comfort you were glad to have this week.")),
    ("gratitude", _("What's something in your home you're quietly thankful for?")),
    ("gratitude", _("Who made your day a bit easier lately, and how?")),
    ("gratitude", _("What's a taste, smell or sound that made you smile recently?")),
    ("gratitude", _("Which part of your usual routine are you glad to have?")),
    ("memories", _("What's a meal we shared that you still think about?")),
    ("memories", _("Which song takes you straight back to a good moment?")),
    ("memories", _("What's a place we've been that you'd happily visit again?")),
    ("memories", _("What's a silly moment from our early days that still makes you grin?")),
    ("memories", _("What's a photo on your phone you like coming back to?")),
    ("memories", _("What did a really good weekend look like when you were a kid?")),
    ("everyday", _("What's on your mind for tomorrow, if anything?")),
    ("everyday", _("What was the best part of your day so far?")),
    ("everyday", _("If today had a weather report, what would it say?")),
    ("everyday", _("What are you looking forward to this week, even a little?")),
    ("everyday", _("What did you eat today that you enjoyed?")),
    ("everyday", _("Which small task are you glad to have off your plate?")),
    ("play", _("If we had a free afternoon with no plans, what would you pick?")),
    ("play", _("What snack would you insist on bringing on a road trip?")),
    ("play", _("Which place from a book or film would you visit for a day?")),
    ("play", _("What's a game, puzzle or hobby you'd like to try together?")),
    ("play", _("If this week had a theme song, what would it be?")),
    ("play", _("What would you name a pet we'll probably never get?")),
    ("dreams", _("Where would you go for a long weekend if time and money were no object?")),
    ("dreams", _("What's a skill you'd enjoy picking up someday?")),
    ("dreams", _("What's one thing you'd like to do more of this year?")),
    ("dreams", _("What does a perfect lazy Sunday look like to you?")),
    ("dreams", _("Which season are you most looking forward to, and why?")),
    ("dreams", _("What's a small adventure you'd like to have this month?")),
    ("needs", _("What helps you unwind at the end of a long day?")),
    ("needs", _("What's one thing that would make tomorrow a little easier?")),
    ("needs", _("How do you like to spend the first half hour after getting home?")),
    ("needs", _("Is there a small thing that would help you this week?")),
    ("needs", _("What kind of message feels nice to get in the middle of the day?")),
    ("needs", _("What's your go-to way to recharge when you're tired?")),
    ("repair", _("What's a small thing that helps you reset after a grumpy moment?")),
    ("repair", _("When a day goes sideways, what helps you feel better?")),
    ("repair", _("What's a kind thing someone said to you after a rough moment?")),
    ("repair", _("What's your favourite way to make up after a small mix-up?")),
    ("repair", _("What helps you laugh something off?")),
    ("repair", _("What's a gesture that says \"we're okay\" to you?")),
    ("appreciation", _("What's something I did recently that you liked?")),
    ("appreciation", _("What's a quality of mine that made you smile this week?")),
    ("appreciation", _("Which of my little habits do you secretly enjoy?")),
    ("appreciation", _("What's something you're proud of yourself for this week?")),
    ("appreciation", _("What's one way we work well as a team?")),
    ("appreciation", _("What's a compliment that always lands well with you?")),
    ("space", _("What's your favourite way to spend time on your own?")),
    ("space", _("Where do you go, indoors or out, when you'd like some quiet?")),
    ("space", _("What solo activity leaves you feeling refreshed?")),
    ("space", _("How much downtime feels right to you on a typical weekday?")),
    ("space", _("What's a hobby you like to keep just for yourself?")),
    ("space", _("How can you tell you've had a good amount of time to yourself?")),
    ("closeness", _("What's a small thing we do together that you enjoy?")),
    ("closeness", _("What's your favourite way for us to say good morning?")),
    ("closeness", _("Which little ritual of ours would you keep forever?")),
    ("closeness", _("What's something simple we could do side by side this week?")),
    ("closeness", _("When do you feel most relaxed around me?")),
    ("closeness", _("What's a cosy plan for a quiet evening together?")),
]

MEDIUM = [
    ("gratitude", _("What's something about our life together you'd hate to take for granted?")),
    ("gratitude", _("Who taught you something about caring for people, and what was it?")),
    ("gratitude", _("What's a hard stretch you're grateful to have come through?")),
    ("gratitude", _("What's something about yourself you've grown to appreciate?")),
    ("memories", _("What's a moment when you felt really understood by me?")),
    ("memories", _("What's a family tradition you'd like to keep, or gently leave behind?")),
    ("memories", _("What's a turning point from the last few years that you still think about?")),
    ("memories", _("What's a memory of us that feels like home?")),
    ("memories", _("When did you first feel at ease being yourself around me?")),
    ("everyday", _("What's been taking up most of your energy lately?")),
    ("everyday", _("What part of your week feels heaviest right now?")),
    ("everyday", _("What's something from your week you'd like me to know about?")),
    ("everyday", _("What's one thing that would make our evenings feel better lately?")),
    ("everyday", _("What's a change to your routine you've been turning over?")),
    ("play", _("What's something playful we used to do that you'd like to bring back?")),
    ("play", _("What side of you comes out when you're having fun?")),
    ("play", _("What would a day of saying yes to small adventures look like for us?")),
    ("play", _("What makes you laugh the hardest, and when did that last happen?")),
    ("dreams", _("Where do you hope we'll be in five years, in a sentence?")),
    ("dreams", _("What's a dream you set aside that you might pick back up?")),
    ("dreams", _("What kind of home do you picture for us later on?")),
    ("dreams", _("What's something you'd like us to learn or build together?")),
    ("dreams", _("What does a good, ordinary life look like to you?")),
    ("needs", _("What helps you feel supported when you're stressed?")),
    ("needs", _("How could I tell when you'd like company and when you'd like quiet?")),
    ("needs", _("What's a way of showing care that would land well with you right now?")),
    ("needs", _("What kind of reassurance feels good to you, and what feels like too much?")),
    ("needs", _("When you're overwhelmed, what helps most: company, quiet, or something else?")),
    ("repair", _("After a disagreement, what helps you feel ready to talk again?")),
    ("repair", _("What helps you listen when we see things differently?")),
    ("repair", _("What small word or signal could either of us use to ask for a pause?")),
    ("repair", _("What's one thing we handle better now than we used to?")),
    ("repair", _("What helps you let go of a small hurt?")),
    ("appreciation", _("What's a way you've seen me grow since we met?")),
    ("appreciation", _("What's something I do that makes you feel looked after?")),
    ("appreciation", _("What's a strength of ours as a couple you'd like to lean on more?")),
    ("appreciation", _("What's something one of us does for us that might go unnoticed?")),
    ("space", _("What would a good amount of space look like for you this week?")),
    ("space", _("How would you like to let me know you'd like some time to yourself?")),
    ("space", _("What helps time apart feel restful rather than lonely?")),
    ("space", _("How could we give each other room without either of us worrying?")),
    ("space", _("What helps you come back feeling connected after time on your own?")),
    ("closeness", _("What's a moment recently when you felt close to me?")),
    ("closeness", _("What helps you feel connected when we're both busy?")),
    ("closeness", _("What small ritual could we start to check in with each other?")),
    ("closeness", _("What kind of touch or gesture feels most comforting to you?")),
    ("closeness", _("When do you feel most like a team?")),
]

DEEP = [
    ("gratitude", _("If you'd like, share something you've come to value about us that surprised you.")),
    ("gratitude", _("If it feels right, what's a time I was there for you that still means a lot?")),
    ("memories", _("If you'd like to, tell me about a time you felt safe with someone, and what made it so.")),
    ("memories", _("If it feels okay, share something from growing up that still shapes how you handle closeness.")),
    ("memories", _("Only if you want to: which memory of us do you come back to when things feel hard?")),
    ("everyday", _("If you'd like, what's something you've been carrying lately that you'd be glad to set down a little?")),
    ("play", _("If you feel like it, what part of yourself would you like to feel freer to show with me?")),
    ("dreams", _("If you'd like, share a hope for us that you haven't put into words yet.")),
    ("dreams", _("If it feels right, how would you like being together to feel a year from now?")),
    ("dreams", _("If you'd like: when you picture us older, what's one thing you hope stays the same?")),
    ("needs", _("If you'd like, share something you need more of that feels hard to ask for.")),
    ("needs", _("If it feels okay, is there a need you used to keep quiet about that you'd like me to know?")),
    ("needs", _("If you'd like, what helps you feel truly safe with me?")),
    ("repair", _("If it feels right: is there something from our past you'd like to talk through someday? A yes or no is plenty.")),
    ("repair", _("If you'd like, is there something you'd say differently now about a past disagreement?")),
    ("repair", _("If you'd like, what helps you trust that we'll be okay after a hard conversation?")),
    ("appreciation", _("If you'd like, tell me about a time you felt proud of how we handled something together.")),
    ("appreciation", _("If it feels right, what's something about me you love but rarely say out loud?")),
    ("space", _("If you'd like, share what wanting space feels like from the inside for you.")),
    ("space", _("If it feels okay, what would help you trust that time apart doesn't change how we feel?")),
    ("space", _("If you'd like, how do you hope I'll understand it when you step back for a while?")),
    ("closeness", _("If you'd like, what does it feel like for you when closeness is going well?")),
    ("closeness", _("If it feels right, what makes it easier for you to let me in?")),
    ("closeness", _("If you'd like, share a time you wanted to reach out but weren't sure how, and what might have helped.")),
    ("closeness", _("If you want to, what helps you feel both free and close at the same time?")),
]


def seeded():
    for depth, rows in (("light", LIGHT), ("medium", MEDIUM), ("deep", DEEP)):
        for theme, text in rows:
            yield uuid.uuid5(SEED_NAMESPACE, text), depth, theme, text


def seed(apps, schema_editor):
    Prompt = apps.get_model("checkins", "Prompt")
    Prompt.objects.bulk_create(
        [Prompt(id=pk, depth=depth, theme=theme, text=text) for pk, depth, theme, text in seeded()],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    Prompt = apps.get_model("checkins", "Prompt")
    PromptAssignment = apps.get_model("checkins", "PromptAssignment")
    ids = [pk for pk, *_rest in seeded()]
    # Assignments protect their prompt; taking the library away takes its dates with it.
    PromptAssignment.objects.filter(prompt_id__in=ids).delete()
    Prompt.objects.filter(id__in=ids).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("checkins", "0001_initial"),
        ("couples", "0002_boundaries"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="prompt",
            name="theme",
            field=models.CharField(
                choices=[
                    ("gratitude", "Gratitude"),
                    ("memories", "Memories"),
                    ("everyday", "Everyday"),
                    ("play", "Play"),
                    ("dreams", "Dreams"),
                    ("needs", "Needs"),
                    ("repair", "Repair"),
                    ("appreciation", "Appreciation"),
                    ("space", "Space"),
                    ("closeness", "Closeness"),
                ],
                max_length=40,
            ),
        ),
        migrations.AddIndex(
            model_name="promptassignment",
            index=models.Index(
                condition=models.Q(("couple__isnull", False)),
                fields=["couple", "prompt", "local_date"],
                name="prompt_last_use_couple_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="promptassignment",
            index=models.Index(
                condition=models.Q(("user__isnull", False)),
                fields=["user", "prompt", "local_date"],
                name="prompt_last_use_person_idx",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
