"""Turns what people type into search state, and domain results into chat messages.

Shared by the Rasa actions (and later the referral mode); the wording of fixed sentences lives in
domain.yml, so only data-driven lines are composed here.
"""
