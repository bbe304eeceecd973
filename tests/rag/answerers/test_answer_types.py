"""Whether a sentence holds the kind of thing a question asks for."""

from __future__ import annotations

import pytest

from rag.answerers.answer_types import type_ok
from rag.answerers.asked import asked_words
from rag.questions import analyse


@pytest.mark.parametrize(
    ("sentence", "answers"),
    [
        ("Egypt is behind the negotiations in Cairo.", True),
        ("Many experts believe the lack of progress should not cause alarm.", True),
        ("Hamas is seeking as many concessions as possible.", True),
        # A place and a demonym adjective name no one who acted.
        ("Negotiations in Cairo ended without a final agreement.", False),
        ("The threat of an Israeli offensive looms.", False),
    ],
)
def test_who_is_answered_by_someone_who_acts_not_by_a_place_or_an_adjective(sentence: str, answers: bool) -> None:
    # Names the passages capitalise mid-sentence, so that one opening a sentence still counts.
    known = frozenset({"egypt", "hamas", "cairo"})
    assert type_ok(analyse("Who is behind the talks?"), sentence, known) == float(answers)


def test_a_common_word_opening_a_sentence_is_no_name() -> None:
    assert type_ok(analyse("Who is behind the talks?"), "Negotiations ended without a deal.") == 0.0


def test_a_name_the_question_already_gives_does_not_answer_who() -> None:
    assert type_ok(analyse("Who is Hamas negotiating with?"), "Hamas is seeking concessions.") == 0.0


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("How many parties are negotiating?", "The gaps between the two parties remain.", True),
        ("How many of the hostages were freed?", "Seven hostages were freed on Sunday.", True),
        # A quantity of something else is no count of what was asked.
        ("How many rounds of talks were held?", "Talks continue for a few more days.", False),
        ("How many hostages were freed?", "The talks went on for three days.", False),
        # A vague quantity is no count.
        ("How many days did the talks last?", "Talks continue for a few more days.", False),
        ("How many days did the talks last?", "The talks lasted three days.", True),
    ],
)
def test_how_many_is_answered_by_a_quantity_of_what_it_counts(question: str, sentence: str, answers: bool) -> None:
    assert type_ok(analyse(question), sentence) == float(answers)


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("What did the families say?", "The families said they were hopeful.", True),
        ("What did experts say about the delay?", "Many experts believe the delay should not cause alarm.", True),
        # Someone else's words, or no one's, do not answer it.
        ("What did the families say?", "Israel insists on the return of all hostages.", False),
        ("What did Netanyahu tell reporters?", "Netanyahu is under pressure from the United States.", False),
        ("What did the minister promise?", "The minister is under pressure to act.", False),
        ("What did the minister promise?", "The minister promised a vote within a week.", True),
        # Every word of who is asked about counts: a defence minister is not a prime minister.
        ("What did the defence minister say?", "The former Prime Minister once remarked on it.", False),
        ("What did the former prime minister say?", "The former Prime Minister once remarked on it.", True),
        # The one asked about must be the one the verb reports.
        ("What did Hamas say?", "Israel insists on the hostages' return, while Hamas is seeking concessions.", False),
        ("What did Israel say?", "Israel insists on the hostages' return, while Hamas is seeking concessions.", True),
        # A quote, like the article, says what it says about anything.
        ("What does the Peres quote say about the talks?", "This sentiment seems to echo the talks.", True),
        # What the article says about something is whatever it says about it.
        ("What does the article say about Rafah?", "An offensive in Rafah looms.", True),
    ],
)
def test_what_someone_said_is_answered_by_their_words(question: str, sentence: str, answers: bool) -> None:
    assert type_ok(analyse(question), sentence) == float(answers)


@pytest.mark.parametrize(
    ("sentence", "answers"),
    [
        ("Prime Minister Netanyahu is under pressure.", True),
        ("The former president, Shimon Peres, once remarked on it.", True),
        # A group or a country holds no post.
        ("Negotiations between the Israeli and Hamas delegations ended.", False),
    ],
)
def test_who_leads_or_holds_a_post_is_answered_by_a_person(sentence: str, answers: bool) -> None:
    assert type_ok(analyse("Who leads the negotiating team?"), sentence) == float(answers)


@pytest.mark.parametrize("question", ["whats the hamas leaders name", "What is the Hamas leader's name?"])
def test_a_name_asked_for_is_a_persons_name(question: str) -> None:
    assert type_ok(analyse(question), "Hamas is seeking to secure as many concessions as possible.") == 0.0
    assert type_ok(analyse(question), "The Hamas leader Yahya Sinwar is seeking concessions.") == 1.0


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        # The words before the post say which post.
        (
            "Who is the Israeli defence minister?",
            "The former Israeli Prime Minister, Shimon Peres, remarked it.",
            False,
        ),
        ("Who is the prime minister?", "Prime Minister Netanyahu is under pressure.", True),
        # Who holds a post now is not who once held it.
        ("Who is the prime minister?", "The former Israeli Prime Minister, Shimon Peres, remarked it.", False),
        ("Who was a prime minister of Israel?", "The former Israeli Prime Minister, Shimon Peres, remarked it.", True),
    ],
)
def test_a_post_is_answered_by_its_holder(question: str, sentence: str, answers: bool) -> None:
    assert type_ok(analyse(question), sentence) == float(answers)


def test_what_negotiators_are_doing_asks_for_a_deed_not_a_name() -> None:
    sentence = "Behind the scenes, constant communication and phone calls are ongoing to work out the details."
    assert type_ok(analyse("What are negotiators doing privately?"), sentence) == 1.0


def test_which_official_is_answered_by_a_persons_name_not_a_country() -> None:
    question = analyse("Which US official pressed Netanyahu to make a deal?")
    assert question.kind == "who"
    assert type_ok(question, "Netanyahu is under pressure from the United States to reach a deal.") == 0.0
    assert type_ok(question, "The envoy Antony Blinken pressed Netanyahu to make a deal.") == 1.0


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("When did the talks end?", "The talks ended on Tuesday night.", True),
        # A stretch of time is no point in it...
        ("When will the talks resume?", "Talks continue through other channels for a few more days.", False),
        # ...and is what "how long" asks for.
        ("How long will the talks go on?", "Talks continue through other channels for a few more days.", True),
        ("How long do talks like these take?", "Such talks can take time to reach an agreement.", True),
        ("How long did the talks last?", "The talks ended on Tuesday night.", False),
        # How much longer is not how long so far.
        ("How long did the talks last?", "Talks will continue for a few more days.", False),
        ("How long did the talks last?", "The talks lasted for three days.", True),
        ("How long has the war gone on?", "Wars of this nature can take time to end.", False),
        ("How long will the talks go on?", "Talks will continue for a few more days.", True),
        # A time to come is not answered by one gone by.
        ("When will the talks resume?", "The talks ended on Tuesday night.", False),
        ("When will the talks resume?", "The talks will resume next Monday.", True),
        ("When is the offensive expected to start?", "The offensive ended on Tuesday.", False),
        ("Which day will the hostages be freed?", "Hostages were freed on Tuesday.", False),
        # Why someone acts is not answered where they are only acted on.
        ("Why is Hamas holding out?", "Israel is using this as a deterrent to pressure Hamas into concessions.", False),
        (
            "Why is Hamas holding out?",
            "This strategic move by Hamas is driven by the recognition that time is short.",
            True,
        ),
        # When it began is not when it ended.
        ("On what day did the negotiations begin?", "The negotiations ended on Tuesday night.", False),
        ("On what day did the negotiations begin?", "The negotiations began on Sunday.", True),
    ],
)
def test_when_wants_a_point_in_time_and_how_long_a_stretch_of_it(question: str, sentence: str, answers: bool) -> None:
    assert type_ok(analyse(question), sentence) == float(answers)


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("Who's in charge of the army?", "Prime Minister Netanyahu is under pressure.", True),
        ("Who's in charge of the army?", "The army is under pressure from Hamas.", False),
        ("Which Israeli officials attended?", "Officials from Israel and Hamas attended.", False),
        ("What is the name of the mediator?", "The mediator, Sheikh Mohammed, arrived late.", True),
        ("What are the names of the hostages?", "The release of hostages is urgent for Israel.", False),
        ("Which experts does the article quote by name?", "Many experts believe it.", False),
        ("Who will replace Netanyahu?", "Prime Minister Netanyahu is under pressure.", False),
        ("Who will replace Netanyahu?", "Shimon Peres said Benny Gantz could replace Netanyahu.", True),
        ("Who leads the delegation?", "Shimon Peres leads it.", True),
        ("How old is the prime minister?", "The 74-year-old prime minister spoke.", True),
        ("How old is the prime minister?", "The prime minister spoke for two hours.", False),
        ("What is the deadline for a deal?", "A deal must be reached by Friday.", True),
        ("What is the deadline for a deal?", "A deal can take time to reach.", False),
        ("What did Hamas offer?", "Hamas offered to free ten hostages.", True),
        ("What do experts think?", "Many experts believe the delay should not cause alarm.", True),
        ("What did the public think of the talks?", "The talks have slowed down the offensive.", False),
        ("How did Hamas react to the raid?", "Hamas condemned the raid.", True),
        ("How did Hamas react to the raid?", "The raid caused casualties on the Hamas side.", False),
        ("How large is the force near Rafah?", "An offensive in Rafah looms.", False),
        ("How large is the force near Rafah?", "Some 20,000 troops are near Rafah.", True),
        ("Which diplomats took part?", "Diplomatic channels stay open.", False),
        ("What is the size of the delegation?", "The delegation arrived on Monday.", False),
        # "Who proposed ...?" is answered by a report of someone's words.
        ("Which side proposed a truce?", "A truce would halt the offensive.", False),
        ("Which side proposed a truce?", "On Monday, Hamas proposed a truce.", True),
        ("Who said talking means not shooting?", "Peres once remarked that talking means not shooting.", True),
        (
            "What did Hamas offer?",
            "Israel insists on the return of all hostages, while Hamas seeks concessions.",
            False,
        ),
    ],
)
def test_a_post_a_name_an_age_a_deadline_and_an_offer_each_want_their_own_kind_of_answer(
    question: str, sentence: str, answers: bool
) -> None:
    assert type_ok(analyse(question), sentence) == float(answers)


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        # Advice is given only by a sentence that advises.
        ("Should Israel invade Rafah?", "An offensive in Rafah is imminent.", False),
        ("Should the lack of progress cause alarm?", "Experts believe it should not cause alarm.", True),
        # A question pinned to a time is answered by a sentence that gives one.
        ("What happened in Cairo this week?", "Negotiations in Cairo ended without a deal.", False),
        ("What happened in Cairo this week?", "Negotiations in Cairo ended on Tuesday.", True),
        # "For a few more days" is how long, not when.
        ("Will there be a ceasefire next week?", "Talks continue for a few more days.", False),
    ],
)
def test_advice_and_a_pinned_time_need_a_sentence_that_gives_them(question: str, sentence: str, answers: bool) -> None:
    assert type_ok(analyse(question), sentence) == float(answers)


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Which hotel hosted the talks?", {"hotel", "hosted"}),
        ("Through which channels are the talks continuing?", {"channels"}),
        ("What is the population of Rafah?", set()),  # a quantity answers it, named or not
        ("What's the weather like in Cairo?", {"weather"}),
        ("What are the humanitarian conditions in Rafah?", {"humanitarian", "conditions"}),
        ("What is the Israeli position on a ceasefire?", set()),  # a position is stated, not named
        ("What kind of weapons does Hamas have?", {"weapons"}),
        ("What concessions has Israel offered?", {"concessions"}),
        ("Who is Israel's chief negotiator?", {"chief", "negotiator"}),
        # Names and qualifiers pick out nothing; sides, places and purposes are read by other checks.
        ("Which foreign country is pressing Netanyahu?", set()),
        ("Which side wants every hostage back?", set()),
        ("What is the purpose of the threat?", set()),
        ("What kind of military action has continued?", set()),  # "strikes" is military action
        ("Why did the talks fail?", set()),
    ],
)
def test_the_thing_a_which_or_what_question_picks_out_is_read_from_its_noun(question: str, asked: set[str]) -> None:
    assert set(asked_words(question)) == asked


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("Which hotel hosted the talks?", "Negotiations in Cairo ended without a final agreement.", False),
        ("Which hotel hosted the talks?", "The talks were held at the Semiramis hotel in Cairo.", True),
        ("What's the weather like in Cairo?", "Negotiations in Cairo ended on Tuesday night.", False),
        ("What kind of weapons does Hamas have?", "Israel is using this as a deterrent against Hamas.", False),
        # A name holds no common noun: "United" is no unit.
        ("Which unit carried out the rescue?", "Netanyahu is under pressure from the United States.", False),
        # People asked to be picked out are picked out by name.
        ("Which hostages were rescued?", "The hostage rescue attempt caused casualties.", False),
        ("Which hostages were rescued?", "The rescued hostages included Noa Argamani.", True),
        # A name far from any hostage is someone else's.
        (
            "Which hostages were rescued?",
            "Prime Minister Netanyahu is under pressure both domestically and from the United States to reach a "
            "resolution regarding the hostages.",
            False,
        ),
        ("What are the names of the hostages?", "The hostages include Noa Argamani and Andrey Kozlov.", True),
        (
            "What are the names of the hostages?",
            "Prime Minister Netanyahu is under pressure to reach a resolution regarding the hostages.",
            False,
        ),
        ("What is the population of Rafah?", "An offensive in Rafah is imminent.", False),
        ("What is the population of Rafah?", "Rafah is home to 1.4 million people.", True),
        ("What is Netanyahu's age?", "The 74-year-old Netanyahu is under pressure.", True),
        # An offer is a commitment: insisting on something offers nothing.
        ("What concessions has Israel offered?", "Israel insists on the return of all hostages.", False),
        ("What concessions has Israel offered?", "Israel offered to release prisoners as a concession.", True),
        # What someone said about a topic is in a sentence about that topic.
        ("What did Peres say about Hamas?", "Peres once remarked that while we're talking, we're not shooting.", False),
        (
            "What did Peres say about talking?",
            "Peres once remarked that while we're talking, we're not shooting.",
            True,
        ),
        ("What did Hamas demand regarding a troop withdrawal?", "Hamas is seeking concessions.", False),
        # A threat is someone's words: "Israel insists" is no threat from Hamas.
        ("What did Hamas threaten to do?", "Israel insists on the return of all hostages.", False),
        ("What did Hamas threaten to do?", "Hamas threatened to walk out of the talks.", True),
        ("What is Hamas's stance on disarmament?", "Israel pressures Hamas into making concessions.", False),
        # A demand is named by what the demanding side insists on, not by talks that merely go on.
        ("What is Israel's core demand?", "The ongoing negotiations have slowed any offensive by Israel.", False),
        ("What is Israel's core demand?", "Israel insists on the return of all hostages.", True),
        # Examples asked about are named, not paraphrased: a return of hostages is no prisoner release.
        (
            "What concessions, such as a prisoner release, does Hamas want?",
            "Hamas wants the return of hostages.",
            False,
        ),
        ("What concessions, such as a prisoner release, does Hamas want?", "Hamas wants prisoners released.", True),
        ("What is Hamas's stance on disarmament?", "Hamas rejects disarmament outright.", True),
        # A title is the phrase the word means: a premier is a prime minister, a chief is not.
        ("Which former premier is quoted?", "The former Prime Minister, Shimon Peres, once remarked it.", True),
        ("Who is Israel's chief negotiator?", "The former Prime Minister, Shimon Peres, once remarked it.", False),
    ],
)
def test_a_sentence_answers_which_or_what_only_if_it_names_what_is_asked_for(
    question: str, sentence: str, answers: bool
) -> None:
    assert type_ok(analyse(question), sentence) == float(answers)


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        # "Who won ...?" wants whoever did the deed: a sentence without it names nobody who did.
        ("Who won the last Israeli election?", "Israel insists on the return of all hostages.", False),
        ("Who is funding Hamas?", "Israel is using this to pressure Hamas.", False),
        ("Who is funding Hamas?", "Iran is funding Hamas, officials said.", True),
        ("Who will replace Netanyahu?", "Prime Minister Netanyahu is under pressure from the United States.", False),
        # One who does something is named by the deed's own word, not by a near-synonym of it.
        (
            "Who is Israel's chief negotiator?",
            "Shimon Peres remarked that while we're talking, we're not shooting.",
            False,
        ),
        ("Who is the mediator?", "The talks were mediated by Egypt.", True),
        # What would follow is told by a sentence that looks ahead, not one that only names the threat.
        (
            "What might happen if Israel attacks Rafah?",
            "A potential offensive could lead to a significant loss of life.",
            True,
        ),
        ("What might happen if Israel attacks Rafah?", "There is an imminent threat of an offensive in Rafah.", False),
        # What moves Israel is not told where Israel is the one who moves someone else.
        (
            "What might push Israel to make a deal?",
            "It is believed that Israel is using this as a deterrent to pressure Hamas into making concessions.",
            False,
        ),
        ("What might push Israel to make a deal?", "This pressure may incentivize Israel to strike a deal.", True),
        # A failure is told by what did not come of it.
        ("What did the talks fail to produce?", "The talks ended without a final agreement.", True),
        ("What did the talks fail to produce?", "The talks went on for days.", False),
        # Taking part is told by the parties named with the talks, not by the words "take part".
        ("Who took part in the negotiations?", "Talks between the Israeli and Hamas delegations ended.", True),
        ("Who attended the talks?", "Talks between the Israeli and Hamas delegations ended.", True),
        # What someone is doing is answered where they do it.
        ("What is Israel demanding?", "The ongoing negotiations have slowed Israel's offensive.", False),
        ("What is Israel demanding?", "Israel insists on the return of all hostages.", True),
        ("What is Hamas trying to get out of the talks?", "Hamas is seeking as many concessions as possible.", True),
        # A light verb says little: the deed is its object ("putting pressure", "took casualties").
        ("Who is putting pressure on Netanyahu?", "Netanyahu is under pressure from the United States.", True),
        ("Who took casualties in the rescue?", "The rescue resulted in casualties on the Hamas side.", True),
        # Who someone is asks for no deed.
        ("Who is the prime minister?", "Prime Minister Netanyahu is under pressure.", True),
    ],
)
def test_who_did_something_is_answered_where_the_deed_is_named(question: str, sentence: str, answers: bool) -> None:
    assert type_ok(analyse(question), sentence) == float(answers)


@pytest.mark.parametrize(
    "question", ["Should Netanyahu accept Hamas's terms?", "in your opinion should netanyahu just accept hamas's terms"]
)
def test_advice_asked_for_needs_a_sentence_that_advises(question: str) -> None:
    assert type_ok(analyse(question), "Netanyahu is under pressure to reach a resolution.") == 0.0
    assert type_ok(analyse(question), "Experts say Netanyahu should accept the terms.") == 1.0


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("Where were the talks held?", "Negotiations in Cairo ended without a final agreement.", True),
        (
            "Where is the pressure on Netanyahu coming from?",
            "Netanyahu is under pressure from the United States.",
            True,
        ),
        # A place is where the thing just before it is: the offensive, not the hostages.
        (
            "Where are the hostages being held?",
            "A deal on the hostages is urgent given the imminent threat of an Israeli offensive in Rafah.",
            False,
        ),
    ],
)
def test_where_is_answered_by_a_place_attached_to_what_is_asked_about(
    question: str, sentence: str, answers: bool
) -> None:
    assert type_ok(analyse(question), sentence) == float(answers)
