/**
 * Plots of the PVs selected in the Values table: numbers against time (a chosen window that follows the
 * newest samples; pause, drag to zoom, reset), arrays and waveforms against their element index. Charts are
 * redrawn from the live model on store changes, outside React rendering.
 */
import { useCallback, useEffect, useMemo } from 'react'
import type uPlot from 'uplot'
import { liveNumber } from '@shared/api/live'
import type { LiveScalar } from '@shared/api/live'
import { liveModel } from '../../state/live/live-connection'
import { useLiveStore } from '../../state/live/live-store'
import { formatValue } from '../../state/live/format'
import { alignArrays, alignTrends } from '../../state/live/trend-data'
import { isArray, isTrendable } from '../../state/live/values-model'
import { LiveChart } from './LiveChart'
import type { LiveChartOptions } from './LiveChart'
import { SERIES_COLOURS, axis } from './UPlotChart'
import type { ChartColours } from './UPlotChart'
import { TREND_WINDOWS, setTrendPaused, setTrendWindow, useValuesView } from './values-view-state'

export function TrendPanel() {
  const selected = useValuesView((s) => s.selected)
  const windowSeconds = useValuesView((s) => s.windowSeconds)
  const paused = useValuesView((s) => s.paused)
  const pvs = useLiveStore((s) => s.pvs)
  const { numbers, arrays } = useMemo(() => {
    const infos = selected.map((name) => liveModel.values.infos.get(name))
    return {
      numbers: selected.filter((_, i) => infos[i] && isTrendable(infos[i])),
      arrays: selected.filter((_, i) => infos[i] && isArray(infos[i])),
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- PV types are read at this version of the list
  }, [selected, pvs])
  useEffect(() => liveModel.values.setPlotted(numbers), [numbers])

  return (
    <div className="trend-panel" aria-label="Trend">
      <div className="live-toolbar trend-toolbar">
        <span className="panel-title">Trend</span>
        <div className="segmented" role="radiogroup" aria-label="Time window">
          {TREND_WINDOWS.map((w) => (
            <button
              key={w.seconds}
              role="radio"
              aria-checked={windowSeconds === w.seconds}
              onClick={() => {
                setTrendWindow(w.seconds)
                setTrendPaused(false)
              }}
            >
              {w.label}
            </button>
          ))}
        </div>
        <button className="button small" onClick={() => setTrendPaused(!paused)} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        {paused && <span className="live-note">Paused: drag across the plot to zoom, Resume to follow</span>}
        <span className="toolbar-spacer" />
        <Legend names={[...numbers, ...arrays]} />
      </div>
      <div className="trend-charts">
        {numbers.length > 0 && <TimeChart names={numbers} windowSeconds={windowSeconds} paused={paused} />}
        {arrays.length > 0 && <ArrayChart names={arrays} paused={paused} offset={numbers.length} />}
        {numbers.length + arrays.length === 0 && (
          <div className="live-empty">
            Text PVs have nothing to plot: select a number, an enum or an array.
          </div>
        )}
      </div>
    </div>
  )
}

function Legend({ names }: { readonly names: readonly string[] }) {
  useLiveStore((s) => s.values)
  return (
    <ul className="trend-legend">
      {names.map((name, i) => {
        const info = liveModel.values.infos.get(name)
        const value = liveModel.values.values.get(name)
        return (
          <li key={name}>
            <span className="swatch" style={{ background: SERIES_COLOURS[i % SERIES_COLOURS.length] }} />
            <span className="legend-name">{name}</span>
            {info && value && !isArray(info) && (
              <span className="legend-value">
                {formatValue(info, value)} {info.units}
              </span>
            )}
          </li>
        )
      })}
    </ul>
  )
}

/** One line per PV, coloured by its place in the legend. */
function linePlot(
  colours: ChartColours,
  names: readonly string[],
  offset: number,
  time: boolean,
): LiveChartOptions {
  return {
    legend: { show: false },
    cursor: { drag: { x: true, y: false, setScale: true } },
    scales: { x: { time } },
    axes: [axis(colours), axis(colours, { size: 64 })],
    series: [
      time ? {} : { label: 'index' },
      ...names.map((name, i) => ({
        label: name,
        stroke: SERIES_COLOURS[(offset + i) % SERIES_COLOURS.length],
        width: 1.5,
        spanGaps: true,
        points: { show: false },
      })),
    ],
  }
}

function TimeChart({
  names,
  windowSeconds,
  paused,
}: {
  readonly names: readonly string[]
  readonly windowSeconds: number
  readonly paused: boolean
}) {
  const options = useCallback(
    (colours: ChartColours): LiveChartOptions => ({
      ...linePlot(colours, names, 0, true),
      // A drag across the plot zooms in: stop following the newest samples so the zoom stays.
      hooks: { setSelect: [(u: uPlot) => void (u.select.width > 2 && setTrendPaused(true))] },
    }),
    [names],
  )
  const draw = useCallback(
    (chart: uPlot) => {
      const now = Date.now() / 1000
      const from = now - windowSeconds
      const data = alignTrends(
        names.map((name) => liveModel.values.trend(name)),
        from,
      )
      chart.batch(() => {
        chart.setData(data as uPlot.AlignedData, true)
        chart.setScale('x', { min: from, max: now })
      })
    },
    [names, windowSeconds],
  )
  return (
    <LiveChart
      options={options}
      draw={draw}
      paused={paused}
      label={`Trend of ${names.join(', ')}`}
      className="trend-chart"
    />
  )
}

function ArrayChart({
  names,
  paused,
  offset,
}: {
  readonly names: readonly string[]
  readonly paused: boolean
  readonly offset: number
}) {
  const options = useCallback(
    (colours: ChartColours) => linePlot(colours, names, offset, false),
    [names, offset],
  )
  const draw = useCallback(
    (chart: uPlot) => {
      const arrays = names.map((name) => {
        const data = liveModel.values.values.get(name)?.value
        return Array.isArray(data) ? data.map((item: LiveScalar) => liveNumber(item)) : []
      })
      chart.setData(alignArrays(arrays) as uPlot.AlignedData, true)
    },
    [names],
  )
  return (
    <LiveChart
      options={options}
      draw={draw}
      paused={paused}
      label={`Elements of ${names.join(', ')}`}
      className="trend-chart"
    />
  )
}
