"""Our Presidio recognizers: Indonesian IDs, cards, phones, accounts, emails, usernames, names, addresses,
dates of birth, vehicle plates, insurance policies, secrets (OTP, PIN, password, security answers); and Presidio's predefined ones that apply.

All of them apply to Indonesian, English and code-mixed text and to spoken transcripts after
number normalisation; they are registered under one analyzer language code.
"""
from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerRegistry

from .bank_account_recognizer import BankAccountRecognizer
from .base import ANALYZER_LANGUAGE
from .card_cvv_recognizer import CardCvvRecognizer
from .card_expiry_recognizer import CardExpiryRecognizer
from .credit_card_recognizer import CreditCardRecognizer
from .date_of_birth_recognizer import DateOfBirthRecognizer
from .email_recognizer import OfflineEmailRecognizer, SpokenEmailRecognizer
from .en_address_recognizer import EnAddressRecognizer
from .id_address_recognizer import IdAddressRecognizer
from .id_bpjs_recognizer import IdBpjsRecognizer
from .id_kk_recognizer import IdKkRecognizer
from .id_ner_recognizer import IdNerRecognizer
from .id_nik_recognizer import IdNikRecognizer
from .id_npwp_recognizer import IdNpwpRecognizer
from .id_passport_recognizer import IdPassportRecognizer
from .insurance_policy_recognizer import InsurancePolicyRecognizer
from .license_plate_recognizer import LicensePlateRecognizer
from .otp_recognizer import OtpRecognizer
from .password_recognizer import PasswordRecognizer
from .person_cue_recognizer import PersonCueRecognizer
from .person_ner_recognizer import PersonNerRecognizer
from .phone_recognizer import PhoneRecognizer
from .pin_recognizer import PinRecognizer
from .presidio_predefined import english_only_entities, predefined_recognizers
from .run_on_number_recognizer import RunOnNumberRecognizer
from .security_answer_recognizer import SecurityAnswerRecognizer
from .spelled_recognizer import SpelledRecognizer
from .split_number_recognizer import SplitNumberRecognizer
from .username_recognizer import HandleRecognizer, UsernameRecognizer

RECOGNIZER_CLASSES: tuple[type[EntityRecognizer], ...] = (
    CreditCardRecognizer,
    CardCvvRecognizer,
    CardExpiryRecognizer,
    DateOfBirthRecognizer,
    IdNikRecognizer,
    IdKkRecognizer,
    IdNpwpRecognizer,
    IdBpjsRecognizer,
    IdPassportRecognizer,
    LicensePlateRecognizer,
    InsurancePolicyRecognizer,
    PhoneRecognizer,
    BankAccountRecognizer,
    OfflineEmailRecognizer,
    SpokenEmailRecognizer,
    PersonCueRecognizer,
    PersonNerRecognizer,
    IdNerRecognizer,
    IdAddressRecognizer,
    EnAddressRecognizer,
    RunOnNumberRecognizer,
    SplitNumberRecognizer,
    OtpRecognizer,
    PinRecognizer,
    PasswordRecognizer,
    SecurityAnswerRecognizer,
    SpelledRecognizer,
    HandleRecognizer,
    UsernameRecognizer,
)


class CachedRegistry(RecognizerRegistry):
    """Presidio's registry, remembering which recognizers serve a request. Presidio matches
    every recognizer against every requested entity on each analysis, a tenth of a millisecond
    per message for the same answer."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._served: dict[tuple, list[EntityRecognizer]] = {}

    def get_recognizers(self, language, entities=None, all_fields=False, ad_hoc_recognizers=None):
        if ad_hoc_recognizers:
            return super().get_recognizers(language, entities, all_fields, ad_hoc_recognizers)
        # The registered recognizers are part of the key: adding one must not serve a stale list.
        key = (language, tuple(entities or ()), all_fields, tuple(self.recognizers))
        if key not in self._served:
            self._served[key] = super().get_recognizers(language, entities, all_fields)
        return list(self._served[key])


def build_registry() -> RecognizerRegistry:
    """A registry with every recognizer above and Presidio's predefined ones we use."""
    registry = CachedRegistry(supported_languages=[ANALYZER_LANGUAGE])
    for recognizer_class in RECOGNIZER_CLASSES:
        registry.add_recognizer(recognizer_class(supported_language=ANALYZER_LANGUAGE))
    for recognizer in predefined_recognizers():
        registry.add_recognizer(recognizer)
    return registry


__all__ = ["ANALYZER_LANGUAGE", "RECOGNIZER_CLASSES", "build_registry", "english_only_entities"]
