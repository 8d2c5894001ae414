"""Alibaba Cloud SMS (dysmsapi 2017-05-25) through the official SDK.

Chinese providers send only approved templates: our rendered text goes into the site's default
template as one parameter (``text_param``, default "content"), or a message template names its own
approved template and passes its placeholders as that template's parameters.

SMS_SETTINGS: access_key_id, access_key_secret, sign_name, template_code; optional endpoint,
region_id, text_param, connect_timeout_ms, read_timeout_ms.
"""

from __future__ import annotations

import datetime as dt
import json

from alibabacloud_dysmsapi20170525 import models as aliyun_models
from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_tea_openapi import utils_models as openapi_models
from darabonba.runtime import RuntimeOptions

from apps.lowcode.masking import mask_recipient
from apps.lowcode.messaging.backends import BaseBackend, Sms, SmsError, SmsOutcomeUnknown, answer_lost


class AliyunBackend(BaseBackend):
    def build_request(self, sms: Sms) -> aliyun_models.SendSmsRequest:
        params = sms.params or {self.options.get("text_param", "content"): sms.text}
        return aliyun_models.SendSmsRequest(
            phone_numbers=sms.to,
            sign_name=self.option("sign_name"),
            template_code=sms.template_code or self.option("template_code"),
            template_param=json.dumps(params, ensure_ascii=False),
            out_id=sms.key or None,  # echoed by QuerySendDetails: how `accepted` finds the message
        )

    def client(self) -> Client:
        config = openapi_models.Config(
            access_key_id=self.option("access_key_id"),
            access_key_secret=self.option("access_key_secret"),
            endpoint=self.options.get("endpoint", "dysmsapi.aliyuncs.com"),
            region_id=self.options.get("region_id", "cn-hangzhou"),
            protocol=self.options.get("protocol", "https"),
        )
        return Client(config)

    def runtime(self) -> RuntimeOptions:
        return RuntimeOptions(
            autoretry=False,  # retries are the job's, with backoff and a log entry
            connect_timeout=int(self.options.get("connect_timeout_ms", 5000)),
            read_timeout=int(self.options.get("read_timeout_ms", 10000)),
        )

    def send(self, sms: Sms) -> str:
        request = self.build_request(sms)
        try:
            response = self.client().send_sms_with_options(request, self.runtime())
        except Exception as exc:  # the SDK raises its own and its HTTP library's errors
            error = SmsOutcomeUnknown if answer_lost(exc) else SmsError
            raise error(f"aliyun: {type(exc).__name__}: {exc}".replace(sms.to, mask_recipient(sms.to))) from exc
        body = response.body
        if body is None or body.code != "OK":
            code, message = (body.code, body.message) if body is not None else ("", "empty response")
            raise SmsError(f"aliyun: {code}: {message}")
        return body.biz_id or body.request_id or ""

    def accepted(self, sms: Sms, sent_on: dt.date) -> bool | None:
        """QuerySendDetails lists the day's messages to the number with the OutId we sent; not
        finding ours proves nothing (the list may lag), so that answer is None."""
        request = aliyun_models.QuerySendDetailsRequest(
            phone_number=sms.to, send_date=sent_on.strftime("%Y%m%d"), page_size=50, current_page=1
        )
        try:
            body = self.client().query_send_details_with_options(request, self.runtime()).body
        except Exception:  # the SDK's errors and its HTTP library's: cannot tell, a person decides
            return None
        details = body.sms_send_detail_dtos.sms_send_detail_dto if body and body.sms_send_detail_dtos else []
        return True if any(detail.out_id == sms.key for detail in details or []) else None
