/** What the editor shows until projects exist: a small IOC in caproto's dialect, the language of the hooks. */
export const SAMPLE_FILE_NAME = 'thermostat.py'

export const SAMPLE_IOC = `#!/usr/bin/env python3
"""A thermostat soft IOC: a setpoint, a simulated temperature and a heater."""
from caproto.server import PVGroup, ioc_arg_parser, pvproperty, run


class Thermostat(PVGroup):
    setpoint = pvproperty(value=21.0, units='degC', precision=1, doc='Target temperature')
    temperature = pvproperty(value=18.5, units='degC', precision=2, read_only=True)
    heater = pvproperty(value=False, doc='Heater relay')

    @setpoint.putter
    async def setpoint(self, instance, value):
        # Refuse setpoints outside the safe range; the client sees the put fail.
        if not 5.0 <= value <= 30.0:
            raise ValueError(f'setpoint {value} is outside 5..30 degC')
        return value

    @temperature.scan(period=1.0)
    async def temperature(self, instance, async_lib):
        heating = self.heater.value
        drift = 0.2 if heating else -0.05
        await instance.write(instance.value + drift)
        await self.heater.write(instance.value < self.setpoint.value)


if __name__ == '__main__':
    ioc_options, run_options = ioc_arg_parser(default_prefix='LAB:', desc=Thermostat.__doc__)
    run(Thermostat(**ioc_options).pvdb, **run_options)
`
