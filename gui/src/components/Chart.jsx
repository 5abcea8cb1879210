import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A uPlot time series: x = epoch seconds, one series per label. uPlot has no append API, so each update is a
 * setData() of the whole window; a change of the series set rebuilds the chart. Width follows the container.
 */
export function Chart({ x, series, height = 220, label, yLabel = '' }) {
  const box = useRef(null);
  const plot = useRef(null);
  const shape = series.map((s) => s.label).join('|');

  useEffect(() => {
    const el = box.current;
    const opts = {
      width: Math.max(300, el.clientWidth),
      height,
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        {
          stroke: '#9aa4ad',
          grid: { stroke: '#2a3138' },
          ticks: { stroke: '#2a3138' },
          // 24-hour UTC like every other time on the page; the date too when the range spans days
          values: (u, splits) => {
            const span = splits.length > 1 ? splits[splits.length - 1] - splits[0] : 0;
            return splits.map((t) => {
              const iso = new Date(t * 1000).toISOString();
              return span > 86400 ? iso.slice(5, 10) + ' ' + iso.slice(11, 16) : iso.slice(11, 16);
            });
          },
        },
        { stroke: '#9aa4ad', grid: { stroke: '#2a3138' }, ticks: { stroke: '#2a3138' }, label: yLabel, size: 60 },
      ],
      series: [{ value: (u, v) => (v == null ? '—' : new Date(v * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC') },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          dash: s.dash,
          value: (u, v) => (v == null ? '—' : v.toFixed(2)),
        }))],
    };
    plot.current = new uPlot(opts, [x, ...series.map((s) => s.data)], el);
    const ro = new ResizeObserver(() => {
      if (plot.current) plot.current.setSize({ width: Math.max(300, el.clientWidth), height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current.destroy();
      plot.current = null;
    };
  }, [shape, height]);

  useEffect(() => {
    if (plot.current) plot.current.setData([x, ...series.map((s) => s.data)]);
  }, [x, series]);

  return <div class="chart" ref={box} role="img" aria-label={label} />;
}
