"""SSLCommerz verify_sign pinned to a value computed by hand from GATEWAYS.md §3.4.

By hand: md5("kat-store-password") = bdedc66f28209e841f3e3584ce8d889c; the verify_key fields
present (value_b is listed but absent, so skipped; card_type is not listed), plus store_passwd,
sorted by key and joined raw:
  amount=1500.00&bank_tran_id=2512031200001&status=VALID
  &store_passwd=bdedc66f28209e841f3e3584ce8d889c&tran_id=FEE-000042-k1&val_id=251203120000abc
(one line, no breaks); its md5 is the literal below.
"""

from apps.payments.gateways.sslcommerz import ipn_signature, ipn_signature_valid
from apps.sandbox.providers.sslcommerz.signing import verify_sign

PASSWORD = "kat-store-password"
EXPECTED = "5529cf3c30acf195876da0536b8ad732"
IPN = {
    "tran_id": "FEE-000042-k1",
    "val_id": "251203120000abc",
    "amount": "1500.00",
    "status": "VALID",
    "bank_tran_id": "2512031200001",
    "card_type": "DBBLMOBILEB-Dbbl Mobile Banking",
    "verify_key": "tran_id,val_id,amount,status,bank_tran_id,value_b",
}


def test_our_verifier_matches_the_hand_computed_signature():
    assert ipn_signature(IPN, store_password=PASSWORD) == EXPECTED
    assert ipn_signature_valid({**IPN, "verify_sign": EXPECTED}, store_password=PASSWORD)
    assert not ipn_signature_valid(
        {**IPN, "verify_sign": EXPECTED, "amount": "15.00"}, store_password=PASSWORD
    )


def test_the_simulator_signs_with_its_own_code_to_the_same_answer():
    assert verify_sign(IPN, store_password=PASSWORD) == EXPECTED
