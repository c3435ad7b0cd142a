"""MkDocs hooks that load what `python -m ingest sync` wrote. Listed under `hooks:` in mkdocs.yml."""

from ingest.mkdocs import hooks
def on_startup(command, dirty, **kwargs):
    hooks.on_startup(command, dirty)


def on_config(config, **kwargs):
    return hooks.on_config(config)


def on_nav(nav, config, files, **kwargs):
    hooks.on_nav(nav, config)


def on_page_markdown(markdown, page, config, **kwargs):
    return hooks.on_page_markdown(markdown, page, config)


def on_page_content(html, page, config, **kwargs):
    return hooks.on_page_content(html, page, config)


def on_page_context(context, page, config, nav, **kwargs):
    hooks.on_page_context(page)


def on_post_page(output, page, config, **kwargs):
    return hooks.on_post_page(output)


def on_post_template(output_content, template_name, config, **kwargs):
    return hooks.on_post_template(output_content, template_name)


def on_post_build(config, **kwargs):
    hooks.on_post_build(config)
