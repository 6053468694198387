"""caproto.asyncio: the asyncio binding (the only one IOC Studio runs; curio/trio scripts run on asyncio too)."""
