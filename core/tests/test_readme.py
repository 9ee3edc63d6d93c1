"""The README's configuration table lists every environment variable the settings read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_is_documented():
    code = "\n".join(p.read_text() for p in (ROOT / "clean_care" / "settings").glob("*.py"))
    code += (ROOT / "core" / "management" / "commands" / "serve.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\("([A-Z_]+)"', code))
    read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', code))
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"`([A-Z][A-Z_]+)`", readme))
    assert read - documented == set()


def test_readme_leads_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert "make run" in first_block
    assert "make test" in first_block


def test_the_root_address_leads_to_the_api_documentation(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/api/docs/"
