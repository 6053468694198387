/**
 * A uPlot canvas that fills its box and follows its size. React mounts it once (per `build`); data goes in
 * imperatively through `onPlot`'s instance (plot.setData from a store subscription), never through props, so
 * a chart updating 20 times a second causes no React render.
 */
import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import './charts.css'

export interface UPlotChartProps {
  /** Options for a chart of this size; a new function makes a new chart. */
  readonly build: (width: number, height: number) => uPlot.Options
  /** Receives the chart when it exists and null before it goes. */
  readonly onPlot: (plot: uPlot | null) => void
  readonly label: string
  readonly className?: string
}

export function UPlotChart({ build, onPlot, label, className }: UPlotChartProps) {
  const host = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = host.current!
    const size = () => ({
      width: Math.max(40, element.clientWidth),
      height: Math.max(30, element.clientHeight),
    })
    const { width, height } = size()
    const options = build(width, height)
    const plot = new uPlot(options, options.series.map(() => []) as unknown as uPlot.AlignedData, element)
    onPlot(plot)
    const observer = new ResizeObserver(() => plot.setSize(size()))
    observer.observe(element)
    return () => {
      observer.disconnect()
      onPlot(null)
      plot.destroy()
    }
  }, [build, onPlot])
  return <div ref={host} className={`uplot-host ${className ?? ''}`} role="img" aria-label={label} />
}

/** Colours that read on light and dark backgrounds, one per series in turn. */
export const SERIES_COLOURS = [
  '#0d9aa5',
  '#e0602b',
  '#7c5cd6',
  '#2f9e44',
  '#d6336c',
  '#b08800',
  '#1c7ed6',
  '#868e96',
]

export interface ChartColours {
  readonly text: string
  readonly grid: string
}

/** The theme's axis and grid colours (canvas cannot read CSS variables by itself). */
export function chartColours(): ChartColours {
  const style = getComputedStyle(document.documentElement)
  return {
    text: style.getPropertyValue('--text-muted').trim() || '#5d6778',
    grid: style.getPropertyValue('--border').trim() || '#d9dee5',
  }
}

export function axis(colours: ChartColours, extra: Partial<uPlot.Axis> = {}): uPlot.Axis {
  return {
    stroke: colours.text,
    grid: { stroke: colours.grid, width: 1 },
    ticks: { stroke: colours.grid, width: 1 },
    font: '11px system-ui, sans-serif',
    ...extra,
  }
}
