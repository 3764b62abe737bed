"""Failures a topic can meet in code that is not its writer's, for test_misprints.py.

- ``{dosage-chart}``: a directive whose code raises, as a buggy extension's might.
- ``{clinic-card}``: leaves a clinic detail that names no field, which carepress's own
  code cannot fill in: it stands for a bug in carepress.
- ``faults_stop_the_build = True`` in conf.py: a failure between topics, which no topic
  can keep to itself.
"""

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from carepress.sources.directives import clinic_field


class DosageChart(SphinxDirective):
    has_content = True

    def run(self):
        raise ValueError("the chart has no rows")


class ClinicCard(SphinxDirective):
    def run(self):
        para = nodes.paragraph("", "Call ", clinic_field("", ""))
        self.set_source_info(para)
        return [para]


def stop_the_build(app, env):
    if app.config.faults_stop_the_build:
        raise RuntimeError("the index is full")


def setup(app):
    app.add_directive("dosage-chart", DosageChart)
    app.add_directive("clinic-card", ClinicCard)
    app.add_config_value("faults_stop_the_build", False, "env")
    app.connect("env-updated", stop_the_build)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
