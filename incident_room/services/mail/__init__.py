"""E-mail over SMTP (`SMTP_URL`): messages are queued with the change that causes them and
sent by a background job, retried with back-off, so a slow mail server never slows anyone.

Without `SMTP_URL` the app sends no mail and `queue_mail` does nothing.
"""
