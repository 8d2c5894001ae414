"""R35, R36, R41: the verifiable lottery (电脑随机派位); the pure `engine` is specified in docs/lottery.md."""
