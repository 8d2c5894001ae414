"""Service-zone look-up (划片查询, R34, R35): which school(s) serve an address, as parents write it.

`service.look_up_zone` is the one entry point; the public page and the JSON API both call it.
"""
