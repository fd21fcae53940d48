//! The message bodies the message benches share: a body generator cycling through six element
//! kinds, and the hand-written serde baseline of the element union.

use tim_rest::types::{
    CustomElem, DownloadFlag, FaceElem, ImageElem, ImageFormat, ImageInfo, ImageType, LocationElem,
    MsgElem, SoundElem, TextElem,
};

/// The element union as a careful person writes it by hand: serde's adjacently tagged enum,
/// `Option` + `skip_serializing_if` for every optional field, integers for the enums.
pub mod handwritten {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "MsgType", content = "MsgContent")]
    pub enum MsgElem {
        #[serde(rename = "TIMTextElem")]
        Text(Text),
        #[serde(rename = "TIMFaceElem")]
        Face(Face),
        #[serde(rename = "TIMCustomElem")]
        Custom(Custom),
        #[serde(rename = "TIMLocationElem")]
        Location(Location),
        #[serde(rename = "TIMImageElem")]
        Image(Image),
        #[serde(rename = "TIMSoundElem")]
        Sound(Sound),
        #[serde(rename = "TIMFileElem")]
        File(File),
        #[serde(rename = "TIMVideoFileElem")]
        VideoFile(VideoFile),
        #[serde(rename = "TIMRelayElem")]
        Relay(Relay),
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct File {
        #[serde(rename = "Url", default, skip_serializing_if = "Option::is_none")]
        pub url: Option<String>,
        #[serde(rename = "UUID", default, skip_serializing_if = "Option::is_none")]
        pub uuid: Option<String>,
        #[serde(rename = "FileSize", default, skip_serializing_if = "Option::is_none")]
        pub file_size: Option<u64>,
        #[serde(rename = "FileName", default, skip_serializing_if = "Option::is_none")]
        pub file_name: Option<String>,
        #[serde(
            rename = "Download_Flag",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub download_flag: Option<i64>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct VideoFile {
        #[serde(rename = "VideoUrl", default, skip_serializing_if = "Option::is_none")]
        pub video_url: Option<String>,
        #[serde(rename = "VideoUUID", default, skip_serializing_if = "Option::is_none")]
        pub video_uuid: Option<String>,
        #[serde(rename = "VideoSize", default, skip_serializing_if = "Option::is_none")]
        pub video_size: Option<u64>,
        #[serde(
            rename = "VideoSecond",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub video_second: Option<u32>,
        #[serde(
            rename = "VideoFormat",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub video_format: Option<String>,
        #[serde(
            rename = "VideoDownloadFlag",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub video_download_flag: Option<i64>,
        #[serde(rename = "ThumbUrl", default, skip_serializing_if = "Option::is_none")]
        pub thumb_url: Option<String>,
        #[serde(rename = "ThumbUUID", default, skip_serializing_if = "Option::is_none")]
        pub thumb_uuid: Option<String>,
        #[serde(rename = "ThumbSize", default, skip_serializing_if = "Option::is_none")]
        pub thumb_size: Option<u64>,
        #[serde(
            rename = "ThumbWidth",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub thumb_width: Option<u32>,
        #[serde(
            rename = "ThumbHeight",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub thumb_height: Option<u32>,
        #[serde(
            rename = "ThumbFormat",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub thumb_format: Option<String>,
        #[serde(
            rename = "ThumbDownloadFlag",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub thumb_download_flag: Option<i64>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Relay {
        #[serde(rename = "Title", default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String>,
        #[serde(rename = "MsgNum", default, skip_serializing_if = "Option::is_none")]
        pub msg_num: Option<u32>,
        #[serde(
            rename = "CompatibleText",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub compatible_text: Option<String>,
        #[serde(
            rename = "AbstractList",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub abstract_list: Option<Vec<String>>,
        #[serde(rename = "MsgList", default, skip_serializing_if = "Option::is_none")]
        pub msg_list: Option<Vec<RelayMsg>>,
        #[serde(
            rename = "JsonMsgKey",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub json_msg_key: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct RelayMsg {
        #[serde(
            rename = "From_Account",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub from_account: Option<String>,
        #[serde(
            rename = "To_Account",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub to_account: Option<String>,
        #[serde(rename = "GroupId", default, skip_serializing_if = "Option::is_none")]
        pub group_id: Option<String>,
        #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
        pub msg_seq: Option<u32>,
        #[serde(rename = "MsgRandom", default, skip_serializing_if = "Option::is_none")]
        pub msg_random: Option<u32>,
        #[serde(
            rename = "MsgTimeStamp",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub msg_time_stamp: Option<u64>,
        #[serde(rename = "MsgBody", default, skip_serializing_if = "Option::is_none")]
        pub msg_body: Option<Vec<MsgElem>>,
        #[serde(
            rename = "CloudCustomData",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub cloud_custom_data: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Text {
        #[serde(rename = "Text")]
        pub text: String,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Face {
        #[serde(rename = "Index", default, skip_serializing_if = "Option::is_none")]
        pub index: Option<i64>,
        #[serde(rename = "Data", default, skip_serializing_if = "Option::is_none")]
        pub data: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Custom {
        #[serde(rename = "Data", default, skip_serializing_if = "Option::is_none")]
        pub data: Option<String>,
        #[serde(rename = "Desc", default, skip_serializing_if = "Option::is_none")]
        pub desc: Option<String>,
        #[serde(rename = "Ext", default, skip_serializing_if = "Option::is_none")]
        pub ext: Option<String>,
        #[serde(rename = "Sound", default, skip_serializing_if = "Option::is_none")]
        pub sound: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Location {
        #[serde(rename = "Desc", default, skip_serializing_if = "Option::is_none")]
        pub desc: Option<String>,
        #[serde(rename = "Latitude", default, skip_serializing_if = "Option::is_none")]
        pub latitude: Option<f64>,
        #[serde(rename = "Longitude", default, skip_serializing_if = "Option::is_none")]
        pub longitude: Option<f64>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Image {
        #[serde(rename = "UUID", default, skip_serializing_if = "Option::is_none")]
        pub uuid: Option<String>,
        #[serde(
            rename = "ImageFormat",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub image_format: Option<i64>,
        #[serde(
            rename = "ImageInfoArray",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub image_info_array: Option<Vec<ImageInfo>>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ImageInfo {
        #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
        pub ty: Option<i64>,
        #[serde(rename = "Size", default, skip_serializing_if = "Option::is_none")]
        pub size: Option<u64>,
        #[serde(rename = "Width", default, skip_serializing_if = "Option::is_none")]
        pub width: Option<u32>,
        #[serde(rename = "Height", default, skip_serializing_if = "Option::is_none")]
        pub height: Option<u32>,
        #[serde(rename = "URL", default, skip_serializing_if = "Option::is_none")]
        pub url: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Sound {
        #[serde(rename = "Url", default, skip_serializing_if = "Option::is_none")]
        pub url: Option<String>,
        #[serde(rename = "UUID", default, skip_serializing_if = "Option::is_none")]
        pub uuid: Option<String>,
        #[serde(rename = "Size", default, skip_serializing_if = "Option::is_none")]
        pub size: Option<u64>,
        #[serde(rename = "Second", default, skip_serializing_if = "Option::is_none")]
        pub second: Option<u32>,
        #[serde(
            rename = "Download_Flag",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub download_flag: Option<i64>,
    }
}

/// Message `i`'s body: one to three elements, cycling through six kinds.
pub fn body(i: usize) -> Vec<MsgElem> {
    let image = || {
        MsgElem::Image(
            ImageElem::new()
                .uuid(format!("{i:032x}"))
                .image_format(ImageFormat::Png)
                .image_info_array(
                    [ImageType::Original, ImageType::Large, ImageType::Thumbnail].map(|t| {
                        ImageInfo::new()
                            .r#type(t)
                            .size(204_800)
                            .width(1280)
                            .height(720)
                            .url(format!(
                                "https://cdn.example.com/img/{i}/{}.png",
                                t.as_i64()
                            ))
                    }),
                ),
        )
    };
    match i % 6 {
        0 => vec![MsgElem::text(format!("message {i}: hello, \"world\" 你好"))],
        1 => vec![
            MsgElem::text("see this"),
            MsgElem::Face(FaceElem::new().index(7).data("smile")),
        ],
        2 => vec![MsgElem::Custom(
            CustomElem::new()
                .data(format!("{{\"order\":{i},\"state\":\"paid\"}}"))
                .desc("order update")
                .ext("ext"),
        )],
        3 => vec![MsgElem::Location(
            LocationElem::new()
                .desc("office")
                .latitude(22.543_096 + i as f64 * 1e-6)
                .longitude(114.057_865),
        )],
        4 => vec![image(), MsgElem::Text(TextElem::new("caption"))],
        _ => vec![MsgElem::Sound(
            SoundElem::new()
                .url(format!("https://cdn.example.com/voice/{i}.m4a"))
                .uuid(format!("voice-{i}"))
                .size(48_213)
                .second(12)
                .download_flag(DownloadFlag::Url),
        )],
    }
}
