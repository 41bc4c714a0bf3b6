import type {SidebarsConfig} from '@docusaurus/plugin-content-docs';
import {course} from './src/course';

const sidebars: SidebarsConfig = {
  course: course.map((section) => ({
    type: 'category' as const,
    label: section.label,
    collapsed: false,
    items: section.lessons.map((lesson) => ({type: 'doc' as const, id: lesson.id, label: lesson.label})),
  })),
};

export default sidebars;
