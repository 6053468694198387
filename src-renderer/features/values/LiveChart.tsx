/**
 * A UPlotChart fed from the live model: it is rebuilt when its options or the colour scheme change, and
 * `draw` refills it after every store commit unless paused. The plot instance never reaches React state.
 */
import { useCallback, useEffect, useRef } from 'react'
import type uPlot from 'uplot'
import { useLiveStore } from '../../state/live/live-store'
import { useColorScheme } from '../../state/theme'
import { UPlotChart, chartColours } from './UPlotChart'
import type { ChartColours } from './UPlotChart'

/** A chart's options apart from its size, which follows its box. */
export type LiveChartOptions = Omit<uPlot.Options, 'width' | 'height'>

export interface LiveChartProps {
  /** Options for the theme's colours; a new function makes a new chart. */
  readonly options: (colours: ChartColours) => LiveChartOptions
  /** Puts the current data into the chart. */
  readonly draw: (plot: uPlot) => void
  /** While paused the chart keeps what it shows (and any zoom). */
  readonly paused?: boolean
  readonly label: string
  readonly className?: string
}

export function LiveChart({ options, draw, paused = false, label, className }: LiveChartProps) {
  const scheme = useColorScheme()
  const plot = useRef<uPlot | null>(null)
  const build = useCallback(
    (width: number, height: number): uPlot.Options => ({ ...options(chartColours()), width, height }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new scheme needs new axis colours
    [options, scheme],
  )
  const redraw = useCallback(() => {
    if (plot.current) draw(plot.current)
  }, [draw])
  const onPlot = useCallback(
    (instance: uPlot | null) => {
      plot.current = instance
      redraw()
    },
    [redraw],
  )
  useEffect(() => {
    redraw()
    if (paused) return undefined
    return useLiveStore.subscribe(() => redraw())
  }, [redraw, paused])
  return <UPlotChart build={build} onPlot={onPlot} label={label} className={className} />
}
