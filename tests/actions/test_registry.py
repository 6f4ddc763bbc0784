from rasa_sdk.executor import ActionExecutor


def test_the_action_server_serves_every_action_the_domain_lists(domain):
    executor = ActionExecutor()
    executor.register_package("actions")  # what `python -m rasa_sdk --actions actions` does
    assert set(domain["actions"]) == set(executor.actions)
