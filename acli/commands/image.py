"""image.*: images (volumes with a name and type in the image catalog)."""

from __future__ import annotations

from acli.commands.table import command, keyword, positional
from acli.commands.types import Bool, EntityRef, Enum, Selector, Str
from acli.output.results import Record, Records, Table, Task, Tasks, Text

IMAGE_TYPE = Enum("kDiskImage", "kIsoImage")


@command("image.create", "Create an image from a file, an http(s) URL (uploaded through libvirt) "
         "or a VM's disk.",
         positional("name", Str(), "the new image's name"),
         keyword("source_url", Str(), "a path, file:///path, or http(s)://..."),
         keyword("clone_from_vmdisk", Str(), "a VM's disk to copy: vm:VMNAME:scsi.0 or a vmdisk UUID"),
         keyword("image_type", IMAGE_TYPE, "kDiskImage or kIsoImage (default: from the contents)"),
         keyword("container", EntityRef("container"), "container to hold it (default: default-container)"),
         keyword("annotation", Str(), "free text"),
         keyword("wait", Bool(), "wait for the upload (false: upload in the background)", True),
         mutates=True)
def image_create(ctx, name, source_url, clone_from_vmdisk, image_type, container, annotation,
                 wait):
    import sys

    from acli.errors import UsageError
    from acli.names import check_display_name
    from acli.storage import images

    check_display_name("name", name, None)  # before either path: a background upload too
    if (source_url is None) == (clone_from_vmdisk is None):
        raise UsageError("image.create needs one of source_url and clone_from_vmdisk")
    if clone_from_vmdisk is not None:  # a copy on the host: nothing to wait for outside it
        image = images.create_from_vmdisk(ctx.host, name, clone_from_vmdisk, image_type,
                                          container, annotation)
        _share(ctx, image)
        return Tasks([Task(name, uuid=image.uuid)])
    if not wait and not ctx.host.caps.in_process:
        from acli.storage.background import start_upload

        log = start_upload(ctx.host, name, source_url, image_type, container, annotation)
        return Text(f"{name}: pending", data={"label": name, "status": "pending", "log": log})
    image = images.create(ctx.host, name, source_url, image_type, container, annotation,
                          progress_stream=sys.stderr)
    _share(ctx, image)
    return Tasks([Task(name, uuid=image.uuid)])


def _share(ctx, image) -> None:
    """In a cluster every host sees the image's volume (cluster/containers.py)."""
    if not ctx.cluster.single:
        from acli.cluster.containers import share_volume

        share_volume(ctx.cluster, ctx.host, image.vol)


@command("image.list", "List images (and, on stderr, background uploads that failed).")
def image_list(ctx):
    from acli.storage import images

    rows = [[i.name, i.image_type, i.uuid] for i in images.list_images(ctx.host)]
    return Table(["Image name", "Image type", "Image UUID"], ["name", "image_type", "uuid"], rows,
                 notes=_failure_notes(ctx))


def _failure_notes(ctx, name=None) -> list[str]:
    import time

    from acli.storage import images

    return [f"the background upload of image {f['name']} failed at "
            f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(f['failed_time']))}: "
            f"{f['failed']}" + (f" (log: {f['log']})" if f.get("log") else "")
            for f in images.failures(ctx.host, name)]


def _select_images(ctx, patterns):
    from acli.storage import images

    return images.select(ctx.host, patterns)


@command("image.get", "Show images.",
         positional("image_list", Selector("image"), "images by name, UUID or glob"))
def image_get(ctx, image_list):
    from acli.errors import NotFound
    from acli.storage.images import record_fields

    try:
        chosen = _select_images(ctx, image_list)
    except NotFound as err:
        # a name whose background upload failed: say so, not just "not found"
        notes = [note for pattern in image_list for note in _failure_notes(ctx, pattern[1])]
        if notes:
            raise NotFound(f"{err.message}; {notes[-1]}") from None
        raise
    return Records([Record(i.name, record_fields(i), i.uuid) for i in chosen])


@command("image.update", "Change an image's name, type or annotation.",
         positional("image", EntityRef("image"), "the image's name or UUID"),
         keyword("name", Str(), "new name"),
         keyword("image_type", IMAGE_TYPE, "new type"),
         keyword("annotation", Str(), "new annotation"),
         mutates=True)
def image_update(ctx, image, name, image_type, annotation):
    from acli.errors import UsageError
    from acli.storage import images

    found = images.lookup(ctx.host, image)
    if name is None and image_type is None and annotation is None:
        raise UsageError("image.update: nothing to change (give name, image_type or annotation)")
    images.update(ctx.host, found, name=name, image_type=image_type, annotation=annotation)
    return Tasks([Task(name or found.name, uuid=found.uuid)])


@command("image.delete", "Delete images no disk uses (asks first).",
         positional("image_list", Selector("image"), "images by name, UUID or glob"),
         mutates=True)
def image_delete(ctx, image_list):
    from acli.storage import images

    chosen = _select_images(ctx, image_list)
    ctx.confirm(f"Delete {len(chosen)} images?")
    if ctx.cluster.single:
        delete = lambda image: images.delete(ctx.host, image)  # noqa: E731
    else:
        def delete(image):  # unused on every host, then gone from every host's list
            from acli.cluster.containers import forget_volume, image_users_elsewhere
            from acli.errors import InvalidState

            used = image_users_elsewhere(ctx.cluster, ctx.host, image)
            if used:
                raise InvalidState(f"in use by {', '.join(used[:3])}; delete those disks first")
            pool_name, vol_name = image.vol.storagePoolLookupByVolume().name(), image.vol.name()
            images.delete(ctx.host, image)
            forget_volume(ctx.cluster, ctx.host, pool_name, vol_name)
    return ctx.each(chosen, delete, label=lambda image: image.name, uuid=lambda image: image.uuid)
