from tests.conftest import EXAMPLES, check_json


def test_cao_lanh_compliant_as_of_mid_2024() -> None:
    code, data = check_json(EXAMPLES / "dong-thap" / "cao-lanh.yaml", "2024-06-30")
    assert code == 0, [f["rule"] for f in data["findings"] if f["status"] != "satisfied"]
    assert data["summary"]["violated"] == 0
    assert data["summary"]["unknown"] == 0
