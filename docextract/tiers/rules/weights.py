"""The rules tier's signals → probability: one logistic function, the tier's own pre-ranking (it keeps its
three best candidates per field by it). The pipeline then rescores those with the learned model
(``scoring.rescore``), whose ``x_base`` feature is this probability's logit; signals too rare in the labelled
documents to be fitted keep these weights there. Signals absent count as 0."""

from __future__ import annotations

import math

RULES_BIAS = -3.0
RULES_WEIGHTS: dict[str, float] = {
    "label": 3.0,  # label match quality x coverage of the label text, 0..1
    "colon": 0.8,  # the label ends with ':'
    "label_start": 0.6,  # the label starts its line segment
    "parse": 1.6,  # type-parse quality of the value, 0..1
    "parse_weak": -1.5,  # the value parses only weakly (checksum failed, ambiguous format)
    # Day and month could be either way round and nothing on the page says which: a coin toss, never sure.
    "order_guess": -4.0,
    # Free text read by OCR (a name): nothing checks it, and a dropped accent is read with high word
    # confidence. Positional finds carry their own, stricter OCR test.
    "ocr_text": -0.4,
    "crowded": -1.2,  # several amounts follow the label on its row: which one is meant is a guess
    "dir_same": 0.9,  # value on the same segment, after the label
    "dir_right": 0.6,  # value in the next segment to the right
    "dir_below": 0.35,  # value on the line below
    "gap": -0.3,  # distance label → value, in line heights
    "rival": -2.6,  # the label text holds words of another field's label ("Delivery date")
    "support": 0.7,  # other label occurrences agreeing on the value (capped at 2)
    "conflict": -3.2,  # strength 0..1 of the best competing different value
    "ocr": 3.0,  # lowest OCR confidence of the value's words minus 1 (0 for a text layer): smudges cost
    "prior": 1.0,  # kind-specific prior, -1..1 (largest total at the bottom, letterhead, …)
    "positional": -1.2,  # found by position alone, without a label
    "dir_above": 0.2,  # value over its (smaller) caption, as in boxed forms
    "glued": 0.3,  # value written into the label's word ("n°562044387")
    "title": 0.5,  # read from a title line ("Rechnung Nr. 12 vom …")
    "grid": 0.6,  # read under a column label of a totals grid
    "grid_sum": -0.3,  # summed over the per-rate rows of a tax breakdown
    "partial": -2.0,  # one rate's row of a breakdown whose rows were summed: a part of the total
    "joint": 2.5,  # part of a net + tax = gross combination of independently read totals
    "derived": -0.8,  # the gross total taken from the amount due that completes the combination
    "consensus": 3.0,  # amounts written in this currency, 0..1 (1: five or more), when it is the only one
    "totals_code": 1.0,  # the currency is written on a row of the totals ("Total EUR 108,00")
    "repeated": 0.5,  # the letterhead name printed again elsewhere (footer, return address)
    "window": 0.3,  # the buyer read from the address window, without a heading
    # Plausibility (tiers/rules/names.py, plausible.py, tables/scores.py). Provisional, set by hand: the
    # learned model of issue 9 takes these signals as features and supersedes these weights.
    "name_street": -3.0,  # a party name that reads as a street or postcode line
    "name_contact": -2.5,  # a contact / attention line, a phone or e-mail, a person over a company line
    "name_id": -3.0,  # a registration or tax number as a name ("Reg. No. : 725186-V")
    "name_label": -2.5,  # a label or template placeholder as a name ("Contact Acheteur", "Buyer line 2")
    "name_cut": -1.5,  # the name's line goes on past it: the whole line is a candidate of its own
    "address_glued": -1.5,  # a receipt's address that carried the company or a date (taken out)
    "date_far": -4.0,  # years from every other date of the document, or in the far future
    "tax_double": -2.0,  # a tax summed over rows where one row was printed twice (counted once instead)
    "line_amount": -2.5,  # an invoice total read inside the line-item table
    "subtotal_early": -1.5,  # a sub-total as the net where a later net is printed
    "total_inconsistent": -6.0,  # a receipt total its own arithmetic (tendered − change, items) contradicts
    "total_no_cents": -3.0,  # a receipt total without the cents every other amount on it is printed with
    "row_no_numbers": -3.0,  # a line item without quantity, unit price or amount (a heading, a note)
    "row_heading": -2.5,  # a line item whose description reads as a section heading ("--- Non Food ---")
}


def shifted(p: float, signals: dict[str, float]) -> float:
    """``p`` moved in log-odds by the weighted ``signals``: the plausibility signals on a score that was not
    made by ``rules_probability`` (line-item cells)."""
    p = min(max(p, 1e-6), 1.0 - 1e-6)
    z = math.log(p / (1.0 - p)) + sum(RULES_WEIGHTS.get(k, 0.0) * v for k, v in signals.items())
    return 1.0 / (1.0 + math.exp(-z))


def rules_probability(signals: dict[str, float]) -> float:
    """Map the rules tier's signals to a probability that the value is right."""
    z = RULES_BIAS + sum(RULES_WEIGHTS.get(k, 0.0) * v for k, v in signals.items())
    return 1.0 / (1.0 + math.exp(-z))
