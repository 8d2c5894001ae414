"""SMS backends: the console masks numbers; the real providers get exactly the SDK request we mean,
and the SDK's own failure (an unreachable endpoint on this host) becomes our SmsError."""

import json
import logging
import socket
import time
import uuid

import pytest

from apps.lowcode.messaging.backends import Sms, SmsError, get_backend
from apps.lowcode.messaging.checks import check_sms_settings

MOBILE = "13912345678"


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: the connection is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


ALIYUN = {
    "access_key_id": "LTAI-test",
    "access_key_secret": "secret",
    "sign_name": "北京市义务教育入学服务平台",
    "template_code": "SMS_100001",
    "protocol": "http",
    "connect_timeout_ms": 500,
    "read_timeout_ms": 500,
}
TENCENT = {
    "secret_id": "AKID-test",
    "secret_key": "secret",
    "sdk_app_id": "1400000001",
    "sign_name": "北京市义务教育入学服务平台",
    "template_id": "200001",
    "protocol": "http",
    "timeout": 1,
}


def test_console_backend_masks_the_mobile_in_its_log_line(caplog):
    with caplog.at_level(logging.INFO, logger="apps.lowcode.messaging.sms"):
        message_id = get_backend("console").send(Sms(MOBILE, "您的编号为20260001"))
    assert message_id.startswith("console-")
    line = caplog.records[-1].getMessage()
    assert "139****5678" in line and "您的编号为20260001" in line
    assert MOBILE not in caplog.text


def test_locmem_backend_keeps_an_outbox():
    from apps.lowcode.messaging.backends import locmem

    locmem.outbox.clear()
    get_backend("locmem").send(Sms(MOBILE, "text"))
    assert locmem.outbox == [Sms(MOBILE, "text")]
    locmem.outbox.clear()


def test_backend_is_chosen_by_settings(settings):
    settings.SMS_ADAPTER = "locmem"
    assert type(get_backend()).__name__ == "LocmemBackend"


def test_aliyun_request_carries_our_text_in_the_default_template():
    request = get_backend("aliyun", ALIYUN).build_request(Sms(MOBILE, "您的编号为20260001"))
    assert request.to_map() == {
        "PhoneNumbers": MOBILE,
        "SignName": "北京市义务教育入学服务平台",
        "TemplateCode": "SMS_100001",
        "TemplateParam": json.dumps({"content": "您的编号为20260001"}, ensure_ascii=False),
    }


def test_aliyun_request_with_provider_template_passes_its_parameters():
    sms = Sms(MOBILE, "ignored", template_code="SMS_200002", params={"name": "王小明", "number": "20260001"})
    request = get_backend("aliyun", ALIYUN).build_request(sms)
    assert request.template_code == "SMS_200002"
    assert json.loads(request.template_param) == {"name": "王小明", "number": "20260001"}


def test_aliyun_unreachable_endpoint_raises_sms_error_fast():
    backend = get_backend("aliyun", {**ALIYUN, "endpoint": f"127.0.0.1:{closed_port()}"})
    started = time.monotonic()
    with pytest.raises(SmsError) as info:
        backend.send(Sms(MOBILE, "您的编号为20260001"))
    assert time.monotonic() - started < 5
    assert str(info.value).startswith("aliyun: ")
    assert "Connection refused" in str(info.value)
    assert MOBILE not in str(info.value)


def test_aliyun_without_credentials_raises_sms_error():
    with pytest.raises(SmsError, match="SMS_SETTINGS has no 'sign_name'"):
        get_backend("aliyun", {}).build_request(Sms(MOBILE, "text"))


def test_tencent_request_carries_our_text_as_the_only_parameter():
    request = get_backend("tencent", TENCENT).build_request(Sms(MOBILE, "您的编号为20260001"))
    assert json.loads(request.to_json_string()) == {
        "PhoneNumberSet": ["+8613912345678"],
        "SmsSdkAppId": "1400000001",
        "SignName": "北京市义务教育入学服务平台",
        "TemplateId": "200001",
        "TemplateParamSet": ["您的编号为20260001"],
        "ExtendCode": None,
        "SessionContext": None,
        "SenderId": None,
    }


def test_tencent_request_with_provider_template_passes_parameters_in_order():
    sms = Sms(MOBILE, "ignored", template_code="300003", params={"name": "王小明", "number": "20260001"})
    request = get_backend("tencent", TENCENT).build_request(sms)
    assert (request.TemplateId, request.TemplateParamSet) == ("300003", ["王小明", "20260001"])


def test_tencent_unreachable_endpoint_raises_sms_error_fast():
    backend = get_backend("tencent", {**TENCENT, "endpoint": f"127.0.0.1:{closed_port()}"})
    started = time.monotonic()
    with pytest.raises(SmsError) as info:
        backend.send(Sms(MOBILE, "您的编号为20260001"))
    assert time.monotonic() - started < 5
    assert str(info.value).startswith("tencent: ClientNetworkError: ")
    assert MOBILE not in str(info.value)


def test_check_reports_a_provider_without_credentials(settings):
    settings.SMS_ADAPTER, settings.SMS_SETTINGS = "tencent", {"secret_id": "x"}
    assert [error.id for error in check_sms_settings()] == ["lowcode_messaging.E002"]
    settings.SMS_ADAPTER = "carrier-pigeon"
    assert [error.id for error in check_sms_settings()] == ["lowcode_messaging.E001"]
    settings.SMS_ADAPTER, settings.SMS_SETTINGS = "tencent", TENCENT
    assert check_sms_settings() == []


def test_idempotency_key_travels_in_the_providers_echoed_field():
    sms = Sms(MOBILE, "您的编号为20260001", key="0123456789abcdef0123456789abcdef")
    assert get_backend("aliyun", ALIYUN).build_request(sms).to_map()["OutId"] == sms.key
    assert get_backend("tencent", TENCENT).build_request(sms).SessionContext == sms.key


def test_locmem_and_console_answer_whether_they_accepted_a_key():
    import datetime as dt

    from apps.lowcode.messaging.backends import locmem

    today = dt.datetime.now(tz=dt.UTC).date()
    for adapter in ("locmem", "console"):
        backend = get_backend(adapter)
        sms = Sms(MOBILE, "text", key=uuid.uuid4().hex)
        assert backend.accepted(sms, today) is False
        backend.send(sms)
        assert backend.accepted(sms, today) is True
    locmem.outbox.clear()
    locmem.accepted_keys.clear()


def test_real_provider_that_cannot_be_asked_says_it_cannot_tell():
    import datetime as dt

    sms = Sms(MOBILE, "text", key="k" * 32)
    for adapter, options in (("aliyun", ALIYUN), ("tencent", TENCENT)):
        backend = get_backend(adapter, {**options, "endpoint": f"127.0.0.1:{closed_port()}"})
        started = time.monotonic()
        assert backend.accepted(sms, dt.datetime.now(tz=dt.UTC).date()) is None  # never False ("send again")
        assert time.monotonic() - started < 5


def test_only_a_lost_answer_makes_the_outcome_unknown():
    from apps.lowcode.messaging.backends import answer_lost

    assert answer_lost(TimeoutError("HTTPSConnectionPool: Read timed out. (read timeout=10)"))
    assert answer_lost(ConnectionError("('Connection aborted.', RemoteDisconnected('closed'))"))
    assert not answer_lost(ConnectionRefusedError("[Errno 111] Connection refused"))
