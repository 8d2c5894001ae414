"""Tencent Cloud SMS (2021-01-11) through the official SDK.

Tencent's templates take positional parameters: our rendered text as the only one by default, or
the message template's placeholders in the order it lists them.

SMS_SETTINGS: secret_id, secret_key, sdk_app_id, sign_name, template_id; optional region,
endpoint, timeout (seconds).
"""

from __future__ import annotations

import datetime as dt

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models as tencent_models
from tencentcloud.sms.v20210111.sms_client import SmsClient

from apps.lowcode.masking import mask_recipient
from apps.lowcode.messaging.backends import BaseBackend, Sms, SmsError, SmsOutcomeUnknown, answer_lost


def e164(mobile: str) -> str:
    return mobile if mobile.startswith("+") else f"+86{mobile}"


class TencentBackend(BaseBackend):
    def build_request(self, sms: Sms) -> tencent_models.SendSmsRequest:
        request = tencent_models.SendSmsRequest()
        request.PhoneNumberSet = [e164(sms.to)]
        request.SmsSdkAppId = self.option("sdk_app_id")
        request.SignName = self.option("sign_name")
        request.TemplateId = sms.template_code or self.option("template_id")
        request.TemplateParamSet = [str(value) for value in sms.params.values()] if sms.params else [sms.text]
        request.SessionContext = sms.key or None  # echoed in the send status: how `accepted` finds it
        return request

    def client(self) -> SmsClient:
        http = HttpProfile(
            endpoint=self.options.get("endpoint", "sms.tencentcloudapi.com"),
            reqTimeout=int(self.options.get("timeout", 10)),
            protocol=self.options.get("protocol", "https"),
        )
        cred = credential.Credential(self.option("secret_id"), self.option("secret_key"))
        return SmsClient(cred, self.options.get("region", "ap-beijing"), ClientProfile(httpProfile=http))

    def send(self, sms: Sms) -> str:
        request = self.build_request(sms)
        try:
            response = self.client().SendSms(request)
        except TencentCloudSDKException as exc:
            message = f"tencent: {exc.code}: {exc.message}".replace(sms.to, mask_recipient(sms.to))
            raise (SmsOutcomeUnknown if answer_lost(exc) else SmsError)(message) from exc
        statuses = response.SendStatusSet or []
        if not statuses or statuses[0].Code != "Ok":
            code, message = (statuses[0].Code, statuses[0].Message) if statuses else ("", "empty response")
            raise SmsError(f"tencent: {code}: {message}")
        return statuses[0].SerialNo or response.RequestId or ""

    def accepted(self, sms: Sms, sent_on: dt.date) -> bool | None:
        """The number's send statuses since that day carry the SessionContext we sent; not finding
        ours proves nothing (statuses arrive late), so that answer is None."""
        request = tencent_models.PullSmsSendStatusByPhoneNumberRequest()
        request.BeginTime = int(dt.datetime.combine(sent_on, dt.time(), tzinfo=dt.UTC).timestamp()) - 86400
        request.Offset, request.Limit = 0, 100
        request.PhoneNumber = e164(sms.to)
        request.SmsSdkAppId = self.option("sdk_app_id")
        try:
            statuses = self.client().PullSmsSendStatusByPhoneNumber(request).PullSmsSendStatusSet or []
        except TencentCloudSDKException:
            return None
        return True if any(status.SessionContext == sms.key for status in statuses) else None
