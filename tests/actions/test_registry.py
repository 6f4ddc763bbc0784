from rasa_sdk.executor import ActionExecutor


def _names(actions: list) -> set[str]:
    # An entry is a name, or {name: {send_domain: true}} for an action that reads the domain.
    return {next(iter(a)) if isinstance(a, dict) else a for a in actions}


def test_the_action_server_serves_every_action_the_domain_lists(domain):
    executor = ActionExecutor()
    executor.register_package("actions")  # what `python -m rasa_sdk --actions actions` does
    assert _names(domain["actions"]) == set(executor.actions)


def test_only_the_form_validators_get_the_domain(domain):
    """endpoints.yml enables the selective domain: an action that reads ``domain`` must say so."""
    with_domain = {next(iter(a)) for a in domain["actions"]
                   if isinstance(a, dict) and next(iter(a.values())).get("send_domain")}
    assert with_domain == {"validate_search_form", "validate_referral_form"}
